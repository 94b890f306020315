using System.Diagnostics;

namespace NowOnline.Bench.Shared;

/// <summary>
/// Records every sample (Stopwatch ticks) and reads percentiles from the sorted samples: exact, never averages.
/// Not thread-safe: give each thread its own recorder and <see cref="Merge"/> them.
/// </summary>
public sealed class Latency
{
    private long[] _ticks;
    private int _count;

    public Latency(int capacity = 1024) => _ticks = new long[Math.Max(16, capacity)];

    public int Count => _count;

    public void Record(long ticks)
    {
        if (_count == _ticks.Length) Array.Resize(ref _ticks, _ticks.Length * 2);
        _ticks[_count++] = Math.Max(0, ticks);
    }

    public void Merge(Latency other)
    {
        for (var i = 0; i < other._count; i++) Record(other._ticks[i]);
    }

    /// <summary>The value at or below which <paramref name="percentile"/> % of samples fall, in milliseconds.</summary>
    public double Ms(double percentile)
    {
        if (_count == 0) return double.NaN;
        Array.Sort(_ticks, 0, _count);
        var rank = (int)Math.Ceiling(percentile / 100.0 * _count) - 1;
        return ToMs(_ticks[Math.Clamp(rank, 0, _count - 1)]);
    }

    public double MaxMs => _count == 0 ? double.NaN : Ms(100);

    /// <summary>"p50 0.12 ms · p90 … · p99 … · p99.9 … · max … (n samples)".</summary>
    public string Summary() =>
        $"p50 {Ms(50):0.###} ms · p90 {Ms(90):0.###} ms · p99 {Ms(99):0.###} ms · p99.9 {Ms(99.9):0.###} ms · max {MaxMs:0.###} ms ({_count:N0} samples)";

    public static double ToMs(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
}
