using System.Diagnostics;
using ActivityEvent = NowOnline.Core.Presence.ActivityEvent;
using NowOnline.Bench.Shared;
using NowOnline.Bench.Support;
using NowOnline.Core.Presence;

namespace NowOnline.Bench.Scenarios;

/// <summary>
/// 100,000 sessions expire at the same moment while storefront traffic keeps arriving through the durable ingestor.
/// Ingestion latency (submit -> committed and applied) during the expiry is compared with the same traffic just before.
/// </summary>
public static class ExpiryScenario
{
    public static async Task<List<Figure>> RunAsync(bool quick, string folder)
    {
        const int sessions = 100_000;
        var clock = new BenchClock(Workload.Start.AddMinutes(10));
        await using var rig = await CoreRig.OpenAsync(Path.Combine(folder, "expiry.db"), clock);
        var tracker = rig.Tracker;
        new Workload(sessions).Populate(tracker, clock.GetUtcNow(), TimeSpan.FromSeconds(1));
        await rig.StartIngestionAsync();
        await rig.Ingestor.CheckpointAsync();

        using var grid = tracker.Subscribe();
        using var stop = new CancellationTokenSource();
        var reader = Task.Run(async () =>
        {
            try { while (true) await grid.ReadAsync(stop.Token); }
            catch (OperationCanceledException) { }
        });

        var expiredTicks = new List<(int Expired, double Ms)>();
        var ticker = Task.Run(async () =>
        {
            // What ExpiryWorker does: a tick every 200 ms.
            while (!stop.IsCancellationRequested)
            {
                var started = Stopwatch.GetTimestamp();
                var expired = tracker.ExpireDue();
                if (expired > 0) lock (expiredTicks) expiredTicks.Add((expired, Stopwatch.GetElapsedTime(started).TotalMilliseconds));
                try { await Task.Delay(200, stop.Token); } catch (OperationCanceledException) { }
            }
        });

        const int eventsPerBatch = 100;
        var producer = new PacedProducer(rig.Ingestor, (client, n) => Enumerable.Range(0, eventsPerBatch)
            .Select(i => new ActivityEvent(Guid.NewGuid().ToString("N"), ActivityType.CartAdd, $"p{client}-{(n * eventsPerBatch + i) % 5000}",
                clock.GetUtcNow(), null, "https://shop.example/checkout/cart", new CartLine("SKU-1", "Item", 1), null, Workload.Agent(i)))
            .ToArray(), clients: 4, batchesPerSecond: 100);

        var phase = TimeSpan.FromSeconds(quick ? 4 : 12);
        var normal = new Latency();
        var during = new Latency();
        var start = Stopwatch.GetTimestamp();
        var jumpAt = start + Measure.Ticks(phase);
        var end = jumpAt + Measure.Ticks(phase);
        var jump = Task.Run(() =>
        {
            Measure.Until(jumpAt);
            clock.Advance(TimeSpan.FromMinutes(15)); // every one of the 100,000 is now due
        });
        await producer.RunAsync(end, due => due < jumpAt ? normal : during);
        await jump;
        await stop.CancelAsync();
        await Task.WhenAll(reader, ticker);

        var expiredTotal = expiredTicks.Sum(t => t.Expired);
        var longest = expiredTicks.Count == 0 ? 0 : expiredTicks.Max(t => t.Ms);
        var ratio = during.Ms(99) / normal.Ms(99);
        Measure.Log($"expiry: normal {normal.Summary()}; during {during.Summary()}; {expiredTotal:N0} expired, longest tick {longest:N0} ms");
        return
        [
            new Figure("Mass expiry of 100,000 sessions at once: ingestion p99 during it vs normal",
                $"{ratio:0.00}x (p99 {during.Ms(99):0.#} ms vs {normal.Ms(99):0.#} ms)", "<= 2x its normal p99", ratio <= 2,
                $"ingestion = submit of a batch of 100 -> durably committed in SQLite and applied, 4 clients, 10,000 events/s; "
                + $"normal: {normal.Summary()}; during: {during.Summary()}; {expiredTotal:N0} sessions expired in "
                + $"{expiredTicks.Count} tick(s), the longest tick took {longest:N0} ms; an open grid subscription drained the change feed"),
        ];
    }
}
