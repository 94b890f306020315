using Microsoft.Data.Sqlite;
using NowOnline.Core.Ingestion;
using NowOnline.Core.Presence;
using NowOnline.Core.Persistence;
using NowOnline.Tests.Support;
using static NowOnline.Tests.Support.Events;

namespace NowOnline.Tests.Persistence;

/// <summary>
/// The writer commits the next group while the previous one is applied and answered: requests racing with the same
/// event ids must still be applied exactly once, and an acknowledged event is already applied and covered by the next
/// checkpoint asked for.
/// </summary>
public sealed class IngestionPipelineTests
{
    [Fact]
    public async Task Concurrent_batches_repeating_the_same_ids_apply_each_event_exactly_once()
    {
        await using var app = await TestApp.StartAsync();
        var ingestor = app.Services.GetRequiredService<ActivityIngestor>();
        var tracker = app.Services.GetRequiredService<PresenceTracker>();
        var at = DateTimeOffset.UtcNow;
        // 8 senders, each sending all 40 events (same ids) in batches of 5, in its own order: many groups overlap.
        var senders = Enumerable.Range(0, 8).Select(sender => Task.Run(async () =>
        {
            var results = new List<IngestResult>();
            var order = Enumerable.Range(0, 40).OrderBy(i => (i * 7 + sender * 13) % 40).ToArray();
            foreach (var chunk in order.Chunk(5))
                results.Add(await ingestor.SubmitAsync(chunk.Select(i => CartAdd($"v-{i % 4}", at, $"SKU-{i}", eventId: $"e-{i}")).ToList()));
            return results;
        })).ToArray();

        var replies = (await Task.WhenAll(senders)).SelectMany(r => r).ToList();

        Assert.Equal(40, replies.Sum(r => r.Accepted));
        Assert.Equal(8 * 40 - 40, replies.Sum(r => r.Duplicates));
        var lines = Enumerable.Range(0, 4).SelectMany(v => tracker.GetCart(null, $"v-{v}")).ToList();
        Assert.Equal(40, lines.Count);
        Assert.All(lines, line => Assert.Equal(1, line.Qty));
    }

    [Fact]
    public async Task Acknowledged_events_are_applied_and_the_checkpoint_asked_for_next_covers_them_all()
    {
        await using var app = await TestApp.StartAsync();
        var ingestor = app.Services.GetRequiredService<ActivityIngestor>();
        var tracker = app.Services.GetRequiredService<PresenceTracker>();
        var at = DateTimeOffset.UtcNow;
        var senders = Enumerable.Range(0, 6).Select(sender => Task.Run(async () =>
        {
            for (var i = 0; i < 20; i++)
            {
                var reply = await ingestor.SubmitAsync([CartAdd($"p-{sender}", at, $"SKU-{i}", eventId: $"p-{sender}-{i}")]);
                Assert.Equal(1, reply.Accepted);
                Assert.Contains(tracker.GetCart(null, $"p-{sender}"), line => line.Sku == $"SKU-{i}");
            }
        })).ToArray();
        await Task.WhenAll(senders);

        await ingestor.CheckpointAsync();

        await using var connection = new SqliteConnection($"Data Source={app.DatabasePath};Pooling=False");
        await connection.OpenAsync();
        var behind = await MigrationTests.ColumnAsync(connection,
            "SELECT (SELECT MAX(Sequence) FROM Checkpoints) - (SELECT MAX(Sequence) FROM ActivityEvents)");
        Assert.Equal(["0"], behind);
        var carts = await MigrationTests.ColumnAsync(connection, "SELECT COUNT(*) FROM CartItems WHERE Owner LIKE 's:p-%'");
        await using var lookup = new SqliteConnection($"Data Source={app.DatabasePath}{EventLookup.FileSuffix};Pooling=False");
        await lookup.OpenAsync();
        var ids = await MigrationTests.ColumnAsync(lookup, "SELECT COUNT(*) FROM EventIds WHERE EventId LIKE 'p-%'");
        Assert.Equal(["120"], carts);
        Assert.Equal(["120"], ids);
    }

    [Fact]
    public async Task A_batch_sent_after_the_writer_stopped_is_refused_as_shutting_down_and_applies_nothing()
    {
        await using var app = await TestApp.StartAsync();
        var ingestor = app.Services.GetRequiredService<ActivityIngestor>();
        var tracker = app.Services.GetRequiredService<PresenceTracker>();
        var at = DateTimeOffset.UtcNow;
        Assert.Equal(1, (await ingestor.SubmitAsync([CartAdd("before-stop", at, "SKU-1", eventId: "stop-1")])).Accepted);

        await ingestor.StopAsync(CancellationToken.None);

        var refused = await Assert.ThrowsAsync<StorageUnavailableException>(
            () => ingestor.SubmitAsync([CartAdd("after-stop", at, "SKU-2", eventId: "stop-2")]));
        Assert.Contains("shutting down", refused.Message);
        Assert.Empty(tracker.GetCart(null, "after-stop"));
        Assert.Single(tracker.GetCart(null, "before-stop"));
    }
}
