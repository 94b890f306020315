using System.Diagnostics;
using ActivityEvent = NowOnline.Core.Presence.ActivityEvent;
using System.Globalization;
using NowOnline.Bench.Shared;
using NowOnline.Bench.Support;
using NowOnline.Core.Presence;

namespace NowOnline.Bench.Scenarios;

/// <summary>
/// 100,000 online sessions, 20 subscribers, 5,000 events/s through the durable ingestor: the time from an event being
/// handed to the service until each subscriber has the changed row.
/// </summary>
public static class ChangeFeedScenario
{
    public static async Task<List<Figure>> RunAsync(bool quick, string folder)
    {
        const int sessions = 100_000;
        const int subscribers = 20;
        var clock = new BenchClock(Workload.Start.AddMinutes(10));
        await using var rig = await CoreRig.OpenAsync(Path.Combine(folder, "feed.db"), clock);
        new Workload(sessions).Populate(rig.Tracker, clock.GetUtcNow(), TimeSpan.FromMinutes(9));
        await rig.StartIngestionAsync();
        await rig.Ingestor.CheckpointAsync();

        var stamps = new long[sessions];
        using var stop = new CancellationTokenSource();
        var recorders = new Latency[subscribers];
        var readers = Enumerable.Range(0, subscribers).Select(s =>
        {
            var subscription = rig.Tracker.Subscribe();
            var latency = recorders[s] = new Latency();
            return Task.Run(async () =>
            {
                using var _ = subscription;
                try
                {
                    while (true)
                    {
                        var changes = await subscription.ReadAsync(stop.Token);
                        var now = Stopwatch.GetTimestamp();
                        foreach (var change in changes)
                        {
                            if (!change.Key.StartsWith("v:s", StringComparison.Ordinal)) continue;
                            var index = int.Parse(change.Key.AsSpan(3), CultureInfo.InvariantCulture);
                            var stamp = Volatile.Read(ref stamps[index]);
                            if (stamp != 0) latency.Record(now - stamp);
                        }
                    }
                }
                catch (OperationCanceledException) { }
            });
        }).ToArray();

        const int eventsPerBatch = 25;
        var random = new Random(3);
        var producer = new PacedProducer(rig.Ingestor, (client, n) =>
        {
            var batch = new ActivityEvent[eventsPerBatch];
            for (var i = 0; i < eventsPerBatch; i++)
            {
                int index;
                lock (random) do index = random.Next(sessions); while (Workload.IsCustomer(index));
                batch[i] = new ActivityEvent(Guid.NewGuid().ToString("N"), ActivityType.CartUpdate, Workload.SessionId(index), clock.GetUtcNow(),
                    null, Workload.Url(index, n), new CartLine("SKU-7", "Item", 1 + n % 4), null, Workload.Agent(index));
                Volatile.Write(ref stamps[index], Stopwatch.GetTimestamp());
            }

            return batch;
        }, clients: 2, batchesPerSecond: 5000.0 / eventsPerBatch);

        var submitted = new Latency();
        var seconds = quick ? 5 : 20;
        await producer.RunAsync(Stopwatch.GetTimestamp() + Measure.Ticks(TimeSpan.FromSeconds(seconds)), _ => submitted);
        await Task.Delay(500);
        await stop.CancelAsync();
        await Task.WhenAll(readers);

        var all = new Latency();
        foreach (var r in recorders) all.Merge(r);
        var p99 = all.Ms(99);
        Measure.Log($"feed: {all.Summary()}");
        return
        [
            new Figure("Change feed: event accepted -> subscriber notified (100,000 sessions, 20 subscribers, 5,000 events/s)",
                $"p99 {p99:0.#} ms", "p99 <= 100 ms", p99 <= 100,
                $"{all.Summary()} over {seconds} s; \"accepted\" is the moment the event is handed to the ingestor, so the figure includes "
                + $"the durable SQLite commit; batches of {eventsPerBatch} from 2 clients; the submit itself: {submitted.Summary()}"),
        ];
    }
}
