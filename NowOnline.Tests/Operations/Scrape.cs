using System.Globalization;
using System.Text.RegularExpressions;

namespace NowOnline.Tests.Operations;

/// <summary>One Prometheus text scrape: the value of a series by name and labels, and the declared metric types.</summary>
public sealed partial class Scrape(string text)
{
    public string Text { get; } = text;

    public static async Task<Scrape> ReadAsync(HttpClient client)
    {
        var response = await client.GetAsync("/metrics");
        Assert.True(response.IsSuccessStatusCode, $"/metrics answered {(int)response.StatusCode}");
        return new Scrape(await response.Content.ReadAsStringAsync());
    }

    /// <summary>The sum over series of <paramref name="name"/> whose labels include every <paramref name="labels"/> pair; 0 when absent.</summary>
    public double Value(string name, params (string Key, string Value)[] labels)
    {
        double sum = 0;
        foreach (Match match in SeriesLine().Matches(Text))
        {
            if (match.Groups["name"].Value != name) continue;
            var set = match.Groups["labels"].Value;
            if (labels.All(l => set.Contains($"{l.Key}=\"{l.Value}\"", StringComparison.Ordinal)))
                sum += double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture);
        }

        return sum;
    }

    public string? TypeOf(string name) =>
        Regex.Match(Text, $"^# TYPE {Regex.Escape(name)} (\\w+)$", RegexOptions.Multiline) is { Success: true } m ? m.Groups[1].Value : null;

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>[^}]*)\})? (?<value>\S+)", RegexOptions.Multiline)]
    private static partial Regex SeriesLine();
}
