namespace NowOnline.Bench.Shared;

/// <summary>Mean of paired differences with a two-sided 95 % Student t interval (the rounds are the samples).</summary>
public sealed record Interval(double Mean, double Low, double High, double StandardDeviation, int Samples)
{
    public static Interval Of(IReadOnlyList<double> values)
    {
        var n = values.Count;
        if (n < 2) return new Interval(n == 1 ? values[0] : double.NaN, double.NaN, double.NaN, double.NaN, n);
        var mean = values.Average();
        var sd = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (n - 1));
        var half = T95(n - 1) * sd / Math.Sqrt(n);
        return new Interval(mean, mean - half, mean + half, sd, n);
    }

    // Two-sided 97.5 % quantiles of Student's t by degrees of freedom.
    private static double T95(int df) => df switch
    {
        1 => 12.71, 2 => 4.30, 3 => 3.18, 4 => 2.78, 5 => 2.57, 6 => 2.45, 7 => 2.36, 8 => 2.31, 9 => 2.26, 10 => 2.23,
        <= 12 => 2.18, <= 15 => 2.13, <= 20 => 2.09, <= 25 => 2.06, <= 30 => 2.04, <= 40 => 2.02, <= 60 => 2.00, _ => 1.98,
    };

    public string Describe(string unit, string format = "+0.00;-0.00") =>
        $"{Mean.ToString(format, System.Globalization.CultureInfo.InvariantCulture)}{unit} (95 % interval "
        + $"{Low.ToString(format, System.Globalization.CultureInfo.InvariantCulture)} to {High.ToString(format, System.Globalization.CultureInfo.InvariantCulture)}{unit}, "
        + $"sd {StandardDeviation.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)}, {Samples} rounds)";
}
