using System.Diagnostics;

namespace NowOnline.Bench.Support;

/// <summary>
/// A clock that runs in real time from a fixed start and can be jumped forward on cue (thread-safe),
/// so a benchmark can make 100,000 sessions due for expiry at one moment.
/// </summary>
public sealed class BenchClock(DateTimeOffset start) : TimeProvider
{
    private readonly long _origin = Stopwatch.GetTimestamp();
    private long _jumpTicks;

    public override DateTimeOffset GetUtcNow() =>
        start + Stopwatch.GetElapsedTime(_origin) + TimeSpan.FromTicks(Interlocked.Read(ref _jumpTicks));

    public void Advance(TimeSpan by) => Interlocked.Add(ref _jumpTicks, by.Ticks);
}
