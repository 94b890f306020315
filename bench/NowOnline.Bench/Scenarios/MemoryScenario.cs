using NowOnline.Bench.Shared;
using NowOnline.Bench.Support;

namespace NowOnline.Bench.Scenarios;

/// <summary>Managed heap per online session: settled heap before and after bringing N sessions online.</summary>
public static class MemoryScenario
{
    public static IEnumerable<Figure> Run(bool quick)
    {
        foreach (var sessions in new[] { 100_000, 1_000_000 })
        {
            var now = Workload.Start.AddMinutes(10);
            var before = Measure.SettledHeap();
            var tracker = Workload.NewTracker(new BenchClock(now));
            new Workload(sessions).Populate(tracker, now, TimeSpan.FromMinutes(9));
            tracker.TakeCheckpoint(); // as the writer does every second: the dirty sets are emptied
            var after = Measure.SettledHeap();
            var online = tracker.Counters.Online;
            GC.KeepAlive(tracker);
            var perSession = (after - before) / (double)sessions;
            Measure.Log($"memory: {sessions:N0} sessions -> {perSession:N0} bytes each");
            yield return new Figure($"Memory per online session at {sessions:N0} sessions",
                $"{perSession:N0} bytes", "<= 1 KB (1,024 bytes)", perSession <= 1024,
                $"GC.GetTotalMemory after full collections, before {before / 1048576.0:N1} MB, after {after / 1048576.0:N1} MB; "
                + $"{online:N0} rows online; 40 % customers with a profile, 60 % visitors with a one-line cart; everything the tracker keeps "
                + "(session, row, indexes, expiry queue, profile, cart) counts");
        }
    }
}
