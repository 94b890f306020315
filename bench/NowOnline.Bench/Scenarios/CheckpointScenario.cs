using System.Diagnostics;
using NowOnline.Bench.Shared;
using NowOnline.Bench.Support;
using NowOnline.Core.Ingestion;
using NowOnline.Core.Persistence;
using NowOnline.Core.Presence;

namespace NowOnline.Bench.Scenarios;

/// <summary>
/// The state checkpoint's hold of SQLite's write lock (issue 14: no request may wait 100 ms or more while state is
/// checkpointed). 100,000 sessions in the tables, then a second of traffic at the 50,000 events/s target logged and applied,
/// then its checkpoint written by the writer's own statements: as one transaction (how it was written before) and in
/// slices of <see cref="ActivityLogWriter.SliceRows"/> rows (how the writer writes it now), alternating, on the same file.
/// Each transaction is a hold of the lock that a commit group waits behind.
/// </summary>
public static class CheckpointScenario
{
    public static async Task<List<Figure>> RunAsync(bool quick, string folder)
    {
        const int sessions = 100_000;
        const int eventsPerRound = 50_000;
        var rounds = quick ? 4 : 8;
        var path = Path.Combine(folder, "checkpoint.db");
        var clock = new BenchClock(Workload.Start.AddMinutes(10));
        await using var rig = await CoreRig.OpenAsync(path, clock);
        var workload = new Workload(sessions, seed: 13);
        workload.Populate(rig.Tracker, clock.GetUtcNow(), TimeSpan.FromMinutes(9));
        var database = new SqliteDatabase($"Data Source={path}");
        await using var connection = await database.OpenAsync();
        // The look-up file as the app files it: by its own thread, off the writer's lock; here after each checkpoint, timed apart.
        using var lookup = new EventLookup(database, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        using var writer = new ActivityLogWriter(connection, lookup: lookup);
        writer.WriteCheckpoint(rig.Tracker.TakeCheckpoint()); // the tables filled once, not timed

        var whole = new List<Hold>();
        var sliced = new List<Hold>();
        var rows = 0;
        var filing = new List<double>();
        var beginWhole = new List<double>();
        var beginLive = new List<double>();
        var sorts = new List<double>();
        var appendCpu = TimeSpan.Zero;
        var appended = 0;
        for (var round = 0; round < rounds; round++)
        {
            // Groups of 1,000 events (ten requests of 100), as the writer commits them under wrk's load.
            foreach (var group in workload.Traffic(eventsPerRound, 100, clock.GetUtcNow(), TimeSpan.FromTicks(10_000)).Chunk(10))
            {
                var stored = StoredEvent.Encode(group.SelectMany(b => b).ToList());
                var before = CpuTime.Thread() ?? TimeSpan.Zero;
                var sequences = writer.Append(stored, clock.GetUtcNow());
                appendCpu += (CpuTime.Thread() ?? TimeSpan.Zero) - before;
                appended += stored.Length;
                rig.Tracker.Apply(stored.Select(e => e.Event).ToList(), sequences.Max());
            }
            var inSlices = round % 2 == 1;
            // Before: the snapshot taken whole under the tracker's lock. Now: the pass begins with a swap of the change lists,
            // is sorted off the writer's thread, and each slice copies its rows under the lock (CheckpointSet).
            var begun = Stopwatch.GetTimestamp();
            var rowsOf = inSlices ? rig.Tracker.BeginCheckpointPass() : CheckpointPass.Of(rig.Tracker.TakeCheckpoint());
            (inSlices ? beginLive : beginWhole).Add(Stopwatch.GetElapsedTime(begun).TotalMilliseconds);
            var sorting = Stopwatch.GetTimestamp();
            rowsOf.WaitReady();
            if (inSlices) sorts.Add(Stopwatch.GetElapsedTime(sorting).TotalMilliseconds);
            var pass = writer.BeginCheckpoint(rowsOf);
            var holds = inSlices ? sliced : whole;
            bool done;
            do
            {
                var cpu = CpuTime.Thread() ?? TimeSpan.Zero;
                var collections = GC.CollectionCount(0);
                var started = Stopwatch.GetTimestamp();
                done = writer.WriteSlice(pass, inSlices ? ActivityLogWriter.SliceRows : int.MaxValue);
                holds.Add(new Hold(Stopwatch.GetElapsedTime(started).TotalMilliseconds, ((CpuTime.Thread() ?? TimeSpan.Zero) - cpu).TotalMilliseconds,
                    round, GC.CollectionCount(0) != collections, pass.Slices));
            }
            while (!done);
            rows = (int)pass.RowsWritten;

            var filingStarted = Stopwatch.GetTimestamp();
            lookup.FoldToHead();

            filing.Add(Stopwatch.GetElapsedTime(filingStarted).TotalMilliseconds);

            Measure.Log($"checkpoint round {round} ({(inSlices ? "slices" : "whole")}): {rows:N0} rows in {pass.Slices} transaction(s), "
                + $"longest {holds.Where(h => h.Round == round).Max(h => h.WallMs):N1} ms");
        }

        foreach (var hold in sliced.OrderByDescending(h => h.WallMs).Take(5))
            Measure.Log($"checkpoint: long slice {hold.WallMs:N1} ms wall, {hold.CpuMs:N1} ms CPU, round {hold.Round}, slice {hold.Index} of its pass"
                + (hold.Collected ? ", a garbage collection inside" : ""));
        var longestWhole = whole.Max(h => h.WallMs);
        var longestSlice = sliced.Max(h => h.WallMs);
        var sliceP99 = Percentile(sliced.Select(h => h.WallMs), 99);
        return
        [
            new Figure("Writer: appending a commit group of 1,000 new events, CPU per event", $"{appendCpu.TotalMicroseconds / appended:N2} µs",
                "measured", null,
                $"{appended:N0} events with new ids in groups of 1,000 on the writer's thread (de-duplication, the inserts and the "
                + $"durable commit, synchronous=FULL), {appendCpu.TotalMilliseconds:N0} ms of thread CPU in all"),
            new Figure("State checkpoint after a second at 50,000 events/s: starting a pass, hold of the tracker's lock",
                $"{beginLive.Max():N2} ms (snapshot taken whole: {beginWhole.Max():N0} ms)", "no request waits >= 100 ms", beginLive.Max() < 100,
                $"the longest of {beginLive.Count} pass starts, which swap the change lists (the rows are copied a slice at a time, "
                + $"copy-on-write), against the longest of {beginWhole.Count} snapshots taken whole, as the writer did before; the pass's "
                + $"members are then put in key order on a pool thread, {sorts.Average():N0} ms on average (longest {sorts.Max():N0} ms), "
                + "while the writer commits on"),
            new Figure("State checkpoint after a second at 50,000 events/s: longest hold of the write lock", $"{longestSlice:N1} ms in slices (without a garbage collection inside: {sliced.Where(h => !h.Collected).Select(h => h.WallMs).DefaultIfEmpty().Max():N1} ms; one transaction: {longestWhole:N0} ms)",
                "no request waits >= 100 ms", longestSlice < 100,
                $"100,000 sessions in the tables; each round logs and applies {eventsPerRound:N0} events, then writes their checkpoint "
                + $"(about {rows:N0} rows: sessions, profiles, cart lines), alternating one transaction (before) and slices of "
                + $"{ActivityLogWriter.SliceRows:N0} rows (now), {rounds} rounds; one transaction: longest {longestWhole:N0} ms wall, "
                + $"{whole.Max(h => h.CpuMs):N0} ms CPU; slices: {sliced.Count / Math.Max(1, rounds / 2)} per checkpoint, longest {longestSlice:N1} ms wall "
                + $"(p99 {sliceP99:N1} ms), {sliced.Max(h => h.CpuMs):N1} ms CPU, {(sliced.MaxBy(h => h.WallMs).Collected ? "a garbage collection inside it" : "no garbage collection inside it")}; "
                + $"{sliced.Count(h => h.Collected)} slices had a collection inside, the longest without one {sliced.Where(h => !h.Collected).Select(h => h.WallMs).DefaultIfEmpty().Max():N1} ms; total CPU per checkpoint: one transaction "
                + $"{whole.Sum(h => h.CpuMs) / Math.Max(1, whole.Select(h => h.Round).Distinct().Count()):N0} ms, slices "
                + $"{sliced.Sum(h => h.CpuMs) / Math.Max(1, sliced.Select(h => h.Round).Distinct().Count()):N0} ms. Filing the round's "
                + $"events under event id and session in the look-up file, off the writer's lock: {filing.Average():N0} ms wall per round "
                + $"(longest {filing.Max():N0} ms)"),
        ];
    }

    private static double Percentile(IEnumerable<double> values, int p)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p / 100.0 * sorted.Length) - 1)];
    }

    /// <param name="Collected">A garbage collection ran during the hold (it pauses every thread, wherever it falls).</param>
    private readonly record struct Hold(double WallMs, double CpuMs, int Round, bool Collected, int Index);
}
