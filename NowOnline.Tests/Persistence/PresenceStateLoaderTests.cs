using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using NowOnline.Core.Ingestion;
using NowOnline.Core.Persistence;
using NowOnline.Core.Presence;
using NowOnline.Tests.Support;

namespace NowOnline.Tests.Persistence;

/// <summary>
/// At start the loader gives the tracker's event-id window the ids logged up to the checkpoint: only as many of the
/// newest as the window holds, never every id of the retention. Real SQLite file, the writer's own statements.
/// </summary>
public sealed class PresenceStateLoaderTests : IDisposable
{
    private static readonly DateTimeOffset At = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    private readonly CoreDatabase _database = new();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _database.Dispose();
    }

    [Fact]
    public async Task Start_reads_only_the_newest_ids_the_window_holds_oldest_first_and_none_after_the_checkpoint()
    {
        var checkpoint = await LogAsync(ids: 10, afterCheckpoint: 3);

        await using var connection = await _database.Sqlite.OpenAsync();
        var seen = await PresenceStateLoader.NewestSeenAsync(connection, checkpoint, At.AddDays(-1).ToUnixTimeMilliseconds(), most: 4,
            CancellationToken.None);

        Assert.Equal(["e-6", "e-7", "e-8", "e-9"], seen.Select(s => s.EventId));
    }

    [Fact]
    public async Task Ids_older_than_the_retention_are_not_read_even_when_the_window_has_room()
    {
        var checkpoint = await LogAsync(ids: 10, afterCheckpoint: 0);

        await using var connection = await _database.Sqlite.OpenAsync();
        var seen = await PresenceStateLoader.NewestSeenAsync(connection, checkpoint, At.AddHours(1).ToUnixTimeMilliseconds(), most: 100,
            CancellationToken.None);

        Assert.Empty(seen);
    }

    [Fact]
    public async Task A_restarted_tracker_knows_the_newest_logged_id_as_a_duplicate()
    {
        await LogAsync(ids: 10, afterCheckpoint: 2);

        var restarted = new PresenceTracker(new FakeClock(At.AddMinutes(5)), Options.Create(new PresenceOptions()));
        await using (var connection = await _database.Sqlite.OpenAsync())
            await PresenceStateLoader.LoadAsync(connection, restarted, new PresenceOptions(), CancellationToken.None);

        Assert.Equal([true, true, true, false], restarted.KnownEvents(["e-0", "e-9", "after-1", "e-never"]));
    }

    /// <summary>Logs <paramref name="ids"/> events with ids e-0.., checkpoints, then logs more; returns the checkpoint mark.</summary>
    private async Task<long> LogAsync(int ids, int afterCheckpoint)
    {
        var live = new PresenceTracker(new FakeClock(At), Options.Create(new PresenceOptions()));
        await using var connection = await _database.Sqlite.OpenAsync();
        using var writer = new ActivityLogWriter(connection);
        void Post(ActivityEvent e) => live.Apply([e], writer.Append(StoredEvent.Encode([e]), At).Max());

        for (var i = 0; i < ids; i++) Post(Events.CartAdd("v-1", At.AddSeconds(i), eventId: $"e-{i}"));
        writer.WriteCheckpoint(live.TakeCheckpoint());
        var mark = live.AppliedSequence;
        for (var i = 1; i <= afterCheckpoint; i++) Post(Events.CartAdd("v-1", At.AddSeconds(ids + i), eventId: $"after-{i}"));
        return mark;
    }
}
