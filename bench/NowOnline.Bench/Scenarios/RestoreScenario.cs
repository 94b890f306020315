using System.Diagnostics;
using NowOnline.Bench.Shared;
using NowOnline.Bench.Support;

namespace NowOnline.Bench.Scenarios;

/// <summary>Restart: the app's start path (migrate, settings, checkpoint tables, log tail) restoring 100,000 online sessions.</summary>
public static class RestoreScenario
{
    public static async Task<List<Figure>> RunAsync(string folder)
    {
        const int sessions = 100_000;
        var path = Path.Combine(folder, "restore.db");
        var clock = new BenchClock(Workload.Start.AddMinutes(10));
        TimeSpan checkpointTook;
        await using (var rig = await CoreRig.OpenAsync(path, clock))
        {
            new Workload(sessions).Populate(rig.Tracker, clock.GetUtcNow(), TimeSpan.FromMinutes(9));
            await rig.StartIngestionAsync();
            var started = Stopwatch.GetTimestamp();
            await rig.Ingestor.CheckpointAsync();
            checkpointTook = Stopwatch.GetElapsedTime(started);
            // A tail of logged events after the checkpoint, replayed at start as after a crash.
            var tail = new Workload(sessions, seed: 11).Traffic(10_000, 100, clock.GetUtcNow(), TimeSpan.FromTicks(10_000));
            foreach (var batch in tail) await rig.Ingestor.SubmitAsync(batch);
        }

        var times = new List<double>();
        var online = 0;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            Measure.SettledHeap();
            var started = Stopwatch.GetTimestamp();
            await using var rig = await CoreRig.OpenAsync(path, clock);
            times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            online = rig.Tracker.Counters.Online;
            Measure.Log($"restore: {times[^1]:N0} ms, {online:N0} online");
        }

        times.Sort();
        var median = times[1];
        return
        [
            new Figure("Restart: restore 100,000 online sessions from SQLite", $"{median / 1000:0.00} s", "<= 2 s", median <= 2000 && online >= sessions,
                $"median of 3 starts (min {times[0]:N0} ms, max {times[^1]:N0} ms), each: migrate check, settings, 100,000 sessions + 40,000 "
                + $"profiles + 60,000 carts from the checkpoint tables, then a 10,000-event log tail; {online:N0} rows online after start; "
                + $"writing that checkpoint took {checkpointTook.TotalMilliseconds:N0} ms"),
        ];
    }
}
