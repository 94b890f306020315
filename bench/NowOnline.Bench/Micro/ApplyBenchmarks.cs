using BenchmarkDotNet.Attributes;
using NowOnline.Bench.Support;
using NowOnline.Core.Presence;

namespace NowOnline.Bench.Micro;

/// <summary>CPU and allocations of <see cref="PresenceTracker.Apply"/> on a tracker holding 100,000 online sessions.</summary>
[MemoryDiagnoser]
public class ApplyBenchmarks
{
    private const int BatchSize = 100;
    private PresenceTracker _tracker = default!;
    private List<ActivityEvent[]> _batches = default!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        var now = Workload.Start.AddMinutes(1);
        _tracker = Workload.NewTracker(new BenchClock(now));
        var shop = new Workload(100_000);
        shop.Populate(_tracker, now, TimeSpan.FromSeconds(50));
        // No event ids: batches are re-applied when the list wraps, and ids would turn them into duplicates.
        _batches = shop.Traffic(1_000_000, BatchSize, now, TimeSpan.FromTicks(100), withEventIds: false);
        _tracker.TakeCheckpoint();
    }

    [Benchmark(OperationsPerInvoke = BatchSize, Description = "Apply (per event, batches of 100)")]
    public ApplyResult Apply()
    {
        var batch = _batches[_next];
        _next = (_next + 1) % _batches.Count;
        if (_next == 0) _tracker.TakeCheckpoint();
        return _tracker.Apply(batch);
    }
}
