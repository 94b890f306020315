using System.Diagnostics;
using ActivityEvent = NowOnline.Core.Presence.ActivityEvent;
using NowOnline.Bench.Shared;
using NowOnline.Bench.Support;
using NowOnline.Core.Presence;

namespace NowOnline.Bench.Scenarios;

/// <summary>
/// One grid query (filter + sort + page of 50) over 1,000,000 online sessions (issue 14's size), against the classic SQL grid
/// over the same rows. Bounded in time: the SQL side runs few queries per view, each taking up to a second at this size.
/// </summary>
public static class QueryScenario
{
    public static IEnumerable<Figure> Run(bool quick, string folder)
    {
        const int sessions = 1_000_000;
        var now = Workload.Start.AddMinutes(10);
        var clock = new BenchClock(now);
        var tracker = Workload.NewTracker(clock);
        var shop = new Workload(sessions);
        shop.Populate(tracker, now, TimeSpan.FromMinutes(9));

        using var classic = new ClassicStore(Path.Combine(folder, "classic-query.db"));
        classic.Seed(Enumerable.Range(0, sessions).Select(i => Workload.Arrival(i, now - TimeSpan.FromMinutes(9) * (1 - (double)i / sessions))));
        var onlineSince = clock.GetUtcNow().AddMinutes(-15);

        var oursPerShape = quick ? 40 : 200;
        var classicPerShape = quick ? 2 : 8;
        foreach (var q in GridQueries.All)
        {
            // Enough rounds for the JIT to finish optimising the scan (tiering): the first tens of queries ran 2-5x slower,
            // which is start-up, not the steady state a grid that re-reads its page sees.
            for (var i = 0; i < 60; i++) tracker.Query(q.Ours);
            q.RunClassic(classic, onlineSince);
        }

        var ours = new Latency();
        var cpuTime = new Latency();
        var processCpu = new Latency();
        Measure.SettledHeap();
        var theirs = new Latency();
        var shapes = new List<string>();
        foreach (var q in GridQueries.All)
        {
            var (total, mine, mineCpu, mineThreadCpu) = TimeView(tracker, q, oursPerShape);
            cpuTime.Merge(mineThreadCpu);
            processCpu.Merge(mineCpu);

            var other = new Latency();
            long classicTotal = 0;
            for (var i = 0; i < classicPerShape; i++)
            {
                var started = Stopwatch.GetTimestamp();
                classicTotal = q.RunClassic(classic, onlineSince).Total;
                other.Record(Stopwatch.GetTimestamp() - started);
            }

            ours.Merge(mine);
            theirs.Merge(other);
            shapes.Add($"\"{q.Name}\": {total:N0} matches, p50 {mine.Ms(50):0.##} ms, p99 {mine.Ms(99):0.##} ms, process CPU p50 {mineCpu.Ms(50):0.##} ms (SQL: {classicTotal:N0} matches, p50 {other.Ms(50):0.##} ms)");
            Measure.Log($"query: {shapes[^1]}");
        }

        var p50 = ours.Ms(50);
        var p99 = ours.Ms(99);
        yield return new Figure("One grid query (filter + sort + page of 50) over 1,000,000 online sessions",
            $"p50 {p50:0.##} ms, p99 {p99:0.##} ms", "p50 <= 5 ms, p99 <= 20 ms", p50 <= 5 && p99 <= 20,
            ours.Summary() + $"; CPU time of the querying thread per query: p50 {cpuTime.Ms(50):0.##} ms, p99 {cpuTime.Ms(99):0.##} ms; "
            + $"CPU time of the whole process per query (both cores' share of a split scan): p50 {processCpu.Ms(50):0.##} ms, p99 {processCpu.Ms(99):0.##} ms; views: " + string.Join("; ", shapes));
        yield return new Figure("Baseline: the same grid views as SQL (COUNT + ORDER BY ... LIMIT 50) over the same 1,000,000 rows in SQLite",
            $"p50 {theirs.Ms(50):0.##} ms, p99 {theirs.Ms(99):0.##} ms", "measured in the same run", null,
            $"{theirs.Summary()}; NowOnline is {theirs.Ms(50) / p50:0.#}x faster at p50, {theirs.Ms(99) / p99:0.#}x at p99");

        // The same views after ordinary storefront traffic over the same sessions: rows move between pages, customers sign
        // in and out, so the text columns free ids, reuse them and compact, and rows and their values no longer lie in
        // arrival order. A grid in a running shop reads this list, not the freshly built one.
        const int churn = 3_000_000;
        for (var done = 0; done < churn; done += 100_000)
            foreach (var batch in shop.Traffic(100_000, 1_000, now - TimeSpan.FromMinutes(1) + TimeSpan.FromMinutes(1) * ((double)done / churn),
                         TimeSpan.FromMinutes(1) / churn, withEventIds: false))
                tracker.Apply(batch);
        foreach (var q in GridQueries.All)
            for (var i = 0; i < 20; i++) tracker.Query(q.Ours);
        Measure.SettledHeap();
        var churned = new Latency();
        var churnedShapes = new List<string>();
        foreach (var q in GridQueries.All)
        {
            var (total, mine, mineCpu, _) = TimeView(tracker, q, oursPerShape);
            churned.Merge(mine);
            churnedShapes.Add($"\"{q.Name}\": {total:N0} matches, p50 {mine.Ms(50):0.##} ms, p99 {mine.Ms(99):0.##} ms, process CPU p50 {mineCpu.Ms(50):0.##} ms");
            Measure.Log($"query after traffic: {churnedShapes[^1]}");
        }

        yield return new Figure($"The same grid queries after {churn:N0} storefront events over those sessions",
            $"p50 {churned.Ms(50):0.##} ms, p99 {churned.Ms(99):0.##} ms", "p50 <= 5 ms, p99 <= 20 ms", churned.Ms(50) <= 5 && churned.Ms(99) <= 20,
            churned.Summary() + $"; {tracker.Query(new OnlineQuery()).Online:N0} sessions online; the storefront mix of Workload.Traffic (cart changes, logins, logouts, page views; a new URL per event); views: "
            + string.Join("; ", churnedShapes));
    }

    /// <summary>
    /// Runs one view <paramref name="queries"/> times and records each query's wall time, the whole process's CPU time (both
    /// cores' share of a split scan) and the querying thread's CPU time, all in Stopwatch ticks.
    /// </summary>
    private static (int Total, Latency Wall, Latency ProcessCpu, Latency ThreadCpu) TimeView(PresenceTracker tracker, GridQuery q, int queries)
    {
        var wall = new Latency();
        var processCpu = new Latency();
        var threadCpu = new Latency();
        var total = 0;
        for (var i = 0; i < queries; i++)
        {
            var threadBefore = CpuTime.Thread();
            var processBefore = CpuTime.Process();
            var started = Stopwatch.GetTimestamp();
            total = tracker.Query(q.Ours).Total;
            wall.Record(Stopwatch.GetTimestamp() - started);
            if (CpuTime.Thread() - threadBefore is { } thread) threadCpu.Record(thread.Ticks * Stopwatch.Frequency / TimeSpan.TicksPerSecond);
            if (CpuTime.Process() - processBefore is { } all) processCpu.Record(all.Ticks * Stopwatch.Frequency / TimeSpan.TicksPerSecond);
        }

        return (total, wall, processCpu, threadCpu);
    }
}
