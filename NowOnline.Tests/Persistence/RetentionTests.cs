using System.Net;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using NowOnline.Core.Ingestion;
using NowOnline.Core.Persistence;
using NowOnline.Core.Presence;
using NowOnline.Core.Retention;
using NowOnline.Tests.Support;

namespace NowOnline.Tests.Persistence;

/// <summary>The cleanup job: old sessions and old logged events go, in small batches; online sessions and unsaved history stay.</summary>
public sealed class RetentionTests
{
    private static object CartAdd(string eventId, string session) =>
        new { eventId, type = "cart_add", sessionId = session, item = new { sku = "WB-01", qty = 1 } };

    private static async Task PostAsync(TestApp app, object body) =>
        Assert.Equal(HttpStatusCode.Accepted, (await app.Storefront().PostEventAsync(body)).StatusCode);

    private static async Task<List<string>> ColumnAsync(string database, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={database};Pooling=False");
        await connection.OpenAsync();
        return await MigrationTests.ColumnAsync(connection, sql);
    }

    [Fact]
    public async Task Old_sessions_and_old_checkpointed_events_are_deleted_in_batches_and_the_rest_is_kept()
    {
        var clock = new FakeClock(DateTimeOffset.UtcNow);
        await using var app = await TestApp.StartAsync(new Dictionary<string, string?>
        {
            ["Presence:SessionRetentionMinutes"] = "1", // shorter than the 15 minute interval: online sessions must stay anyway
            ["Presence:EventIdRetentionMinutes"] = "120",
            ["Retention:BatchSize"] = "3",
            ["Retention:IntervalSeconds"] = "3600",
        }, clock: clock);
        for (var i = 0; i < 7; i++) await PostAsync(app, CartAdd($"old-{i}", $"v-old-{i}"));
        // Write the old sessions to their table now: once the clock moves, the tracker may forget them from memory
        // before the writer's next checkpoint, and then retention would have nothing to delete.
        await app.Services.GetRequiredService<ActivityIngestor>().CheckpointAsync();
        clock.Advance(TimeSpan.FromMinutes(125));
        await PostAsync(app, CartAdd("recent", "v-recent"));
        clock.Advance(TimeSpan.FromMinutes(5));
        await PostAsync(app, CartAdd("now", "v-now"));
        await app.Services.GetRequiredService<ActivityIngestor>().CheckpointAsync();

        var deleted = await app.Services.GetRequiredService<RetentionWorker>().RunOnceAsync();

        Assert.Equal((7, 7), (deleted.Sessions, deleted.Events)); // more than one batch of 3
        Assert.Equal(["v-now", "v-recent"], (await ColumnAsync(app.DatabasePath, "SELECT SessionId FROM Sessions")).Order());
        Assert.Equal(["s:v-now", "s:v-recent"], (await ColumnAsync(app.DatabasePath, "SELECT DISTINCT Owner FROM CartItems")).Order());
        Assert.Equal(["now", "recent"], (await ColumnAsync(app.DatabasePath, "SELECT EventId FROM ActivityEvents")).Order());
        Assert.True(app.Services.GetRequiredService<PresenceTracker>().GetSession("v-recent")?.Online);
    }

    [Fact]
    public async Task Retention_runs_by_itself_on_its_interval()
    {
        var clock = new FakeClock(DateTimeOffset.UtcNow);
        await using var app = await TestApp.StartAsync(new Dictionary<string, string?>
        {
            ["Presence:SessionRetentionMinutes"] = "60",
            ["Presence:EventIdRetentionMinutes"] = "60",
            ["Retention:IntervalSeconds"] = "1",
        }, clock: clock);
        await PostAsync(app, CartAdd("old", "v-old"));
        await app.Services.GetRequiredService<ActivityIngestor>().CheckpointAsync();
        Assert.Equal(["v-old"], await ColumnAsync(app.DatabasePath, "SELECT SessionId FROM Sessions"));

        clock.Advance(TimeSpan.FromMinutes(61));

        await Eventually.TrueAsync(async () => (await ColumnAsync(app.DatabasePath, "SELECT COUNT(*) FROM Sessions"))[0] == "0"
            && (await ColumnAsync(app.DatabasePath, "SELECT COUNT(*) FROM ActivityEvents"))[0] == "0", "the job deletes the old session and event");
    }

    [Fact]
    public async Task Logged_events_after_the_checkpoint_are_never_deleted_however_old()
    {
        using var folder = new TempFolder();
        var path = folder.File("log.db");
        var options = new DbContextOptionsBuilder<NowOnlineDb>().UseNowOnlineSqlite($"Data Source={path}").Options;
        await using (var db = new NowOnlineDb(options)) await db.Database.MigrateAsync();
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync();
        await using (var seed = connection.CreateCommand())
        {
            seed.CommandText = """
                INSERT INTO ActivityEvents (EventId, ReceivedAtMs, Payload) VALUES ('e1', 1, '{}'), ('e2', 2, '{}'), ('e3', 3, '{}'), ('e4', 4, '{}');
                INSERT INTO Checkpoints (Id, Sequence) VALUES (1, 2);
                """;
            await seed.ExecuteNonQueryAsync();
        }

        var deleted = ActivityLog.DeleteExpired(connection, new RetentionBatch(100, DateTimeOffset.UnixEpoch, DateTimeOffset.UtcNow), long.MaxValue);

        Assert.Equal(2, deleted.Events);
        Assert.Equal(["e3", "e4"], await MigrationTests.ColumnAsync(connection, "SELECT EventId FROM ActivityEvents ORDER BY Sequence"));
    }
}
