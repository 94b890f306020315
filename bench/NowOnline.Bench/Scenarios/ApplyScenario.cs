using System.Diagnostics;
using ActivityEvent = NowOnline.Core.Presence.ActivityEvent;
using NowOnline.Bench.Shared;
using NowOnline.Bench.Support;

namespace NowOnline.Bench.Scenarios;

/// <summary>Events applied to the tracker holding 100,000 online sessions, on one thread, in batches of 100 as the writer applies them.</summary>
public static class ApplyScenario
{
    public static IEnumerable<Figure> Run(bool quick)
    {
        const int sessions = 100_000;
        var now = Workload.Start.AddMinutes(1);
        var clock = new BenchClock(now);
        var tracker = Workload.NewTracker(clock);
        var shop = new Workload(sessions);
        shop.Populate(tracker, now, TimeSpan.FromSeconds(50));
        tracker.TakeCheckpoint();

        var perRound = quick ? 150_000 : 1_000_000;
        var rounds = 3;
        Measure.Log($"apply: generating {rounds} x {perRound:N0} events");
        var warmUp = shop.Traffic(100_000, 100, now, TimeSpan.FromTicks(100));
        foreach (var batch in warmUp) tracker.Apply(batch);
        tracker.TakeCheckpoint();

        // The floor (see ApplyFloor) runs on the same events just before each round, so both see the machine in the same
        // state: on a shared 2-core machine the rates move by 2x between rounds, the share of the floor much less.
        var floor = new ApplyFloor(sessions);
        var rates = new List<double>();
        var cpuRates = new List<double>();
        var floorCpuRates = new List<double>();
        var shares = new List<double>();
        long allocated = 0, applied = 0, gcs = 0;
        var pause = TimeSpan.Zero;
        var from = now.AddSeconds(1);
        for (var round = 0; round < rounds; round++)
        {
            var batches = shop.Traffic(perRound, 100, from, TimeSpan.FromTicks(100));
            from = from.AddTicks(perRound * 100L);
            Measure.SettledHeap();
            floorCpuRates.Add(floor.CpuRate(batches, perRound));
            Measure.SettledHeap(); // the tracker's state lives in gen 2, as in a running app
            var gcBefore = GC.CollectionCount(0);
            var pauseBefore = GC.GetTotalPauseDuration();
            var before = GC.GetAllocatedBytesForCurrentThread();
            var cpuBefore = CpuTime.Thread();
            var started = Stopwatch.GetTimestamp();
            foreach (var batch in batches) tracker.Apply(batch);
            var elapsed = Stopwatch.GetElapsedTime(started);
            var cpu = CpuTime.Thread() - cpuBefore;
            allocated += GC.GetAllocatedBytesForCurrentThread() - before;
            applied += perRound;
            gcs += GC.CollectionCount(0) - gcBefore;
            pause += GC.GetTotalPauseDuration() - pauseBefore;
            rates.Add(perRound / elapsed.TotalSeconds);
            cpuRates.Add(cpu is { } c ? perRound / c.TotalSeconds : double.NaN);
            shares.Add(cpuRates[^1] / floorCpuRates[^1]);
            tracker.TakeCheckpoint(); // the writer takes one every second; not timed
            Measure.Log($"apply: round {round + 1}: {rates[^1]:N0} events/s wall-clock, {cpuRates[^1]:N0} per CPU-second; "
                        + $"floor {floorCpuRates[^1]:N0} per CPU-second; share of the floor {shares[^1]:P0}");
        }

        // The app always has one subscriber (the hub relay): rows are then built at each flush for the rows that changed.
        double subscribedRate, subscribedCpuRate;
        using (var subscription = tracker.Subscribe())
        {
            using var stop = new CancellationTokenSource();
            var drained = 0L;
            var drain = Task.Run(async () =>
            {
                try
                {
                    while (true) drained += (await subscription.ReadAsync(stop.Token)).Count;
                }
                catch (OperationCanceledException)
                {
                }
            });
            var batches = shop.Traffic(perRound, 100, from, TimeSpan.FromTicks(100));
            Measure.SettledHeap();
            var cpuBefore = CpuTime.Thread();
            var started = Stopwatch.GetTimestamp();
            foreach (var batch in batches) tracker.Apply(batch);
            var elapsed = Stopwatch.GetElapsedTime(started);
            var cpu = CpuTime.Thread() - cpuBefore;
            stop.Cancel();
            drain.Wait();
            subscribedRate = perRound / elapsed.TotalSeconds;
            subscribedCpuRate = cpu is { } c ? perRound / c.TotalSeconds : double.NaN;
            Measure.Log($"apply with one subscriber: {subscribedRate:N0} events/s wall-clock, {subscribedCpuRate:N0} per CPU-second, {drained:N0} row changes read");
        }

        rates.Sort();
        cpuRates.Sort();
        floorCpuRates.Sort();
        shares.Sort();
        var median = rates[rates.Count / 2];
        var cpuMedian = cpuRates[cpuRates.Count / 2];
        var floorRate = floorCpuRates[floorCpuRates.Count / 2];
        var share = shares[shares.Count / 2];
        yield return new Figure("Apply events to the tracker holding 100,000 online sessions (one thread, batches of 100)",
            $"{median:N0} events/s wall-clock ({cpuMedian:N0} per CPU-second, {share:P0} of the apply floor)", ">= 2,000,000 events/s",
            median >= 2_000_000,
            $"{cpuMedian:N0} events per CPU-second of the applying thread (the rate while it had a core); "
            + $"wall-clock median of {rounds} rounds of {perRound:N0} events (min {rates[0]:N0}, max {rates[^1]:N0}); "
            + $"{(double)allocated / applied:N0} bytes allocated per event, {gcs} gen0+ collections pausing {pause.TotalMilliseconds:N0} ms in all; mix: cart 73 %, page view 10 %, login 5 %, logout 2 %; every event has an event id; "
            + $"apply floor on the same events just before each round, a session-id dictionary look-up plus an event-id set insert and nothing else: "
            + $"{floorRate:N0} per CPU-second (median; shares of it by round {string.Join(", ", shares.Select(x => x.ToString("P0")))}); "
            + $"with one change-feed subscriber reading all the time (as the hub relay does in the app): {subscribedRate:N0} events/s wall-clock, "
            + $"{subscribedCpuRate:N0} per CPU-second (rows are then built for every changed row at each flush)");
    }
}
