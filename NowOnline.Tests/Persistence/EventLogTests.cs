using Microsoft.Data.Sqlite;
using NowOnline.Core.Ingestion;
using NowOnline.Core.Persistence;
using NowOnline.Core.Presence;
using NowOnline.Tests.Support;
using static NowOnline.Tests.Support.Events;

namespace NowOnline.Tests.Persistence;

/// <summary>
/// The writer's log on a real SQLite file: a commit only appends, and the event id and session look-ups are filed in the
/// look-up file beside it (here at the end of each checkpoint, by the writer's own look-up), so exactly-once and timelines
/// must hold both before and after they are filed, and across reconnects.
/// </summary>
public sealed class EventLogTests : IDisposable
{
    private static readonly DateTimeOffset At = DateTimeOffset.UnixEpoch.AddYears(56);
    private readonly CoreDatabase _database = new();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _database.Dispose();
    }

    private async Task<T> WithWriterAsync<T>(Func<ActivityLogWriter, SqliteConnection, T> act)
    {
        await using var connection = await _database.Sqlite.OpenAsync();
        using var writer = new ActivityLogWriter(connection);
        return act(writer, connection);
    }

    private static long[] Append(ActivityLogWriter writer, params ActivityEvent[] events) =>
        writer.Append(StoredEvent.Encode(events), At);

    private static PresenceCheckpoint Covering(long sequence) => new(sequence, [], [], []);

    [Fact]
    public async Task Id_logged_but_not_yet_checkpointed_is_a_duplicate_in_the_same_and_in_a_new_connection()
    {
        var first = await WithWriterAsync((writer, _) => (Append(writer, CartAdd("v-1", At, eventId: "e-1"))[0],
            Append(writer, CartAdd("v-1", At, eventId: "e-1"))[0]));
        var afterReconnect = await WithWriterAsync((writer, _) => Append(writer, CartAdd("v-1", At, eventId: "e-1"), CartAdd("v-1", At, eventId: "e-2")));

        Assert.True(first.Item1 > 0);
        Assert.Equal(0, first.Item2);
        Assert.Equal(0, afterReconnect[0]);
        Assert.True(afterReconnect[1] > first.Item1);
    }

    [Fact]
    public async Task A_group_of_any_size_is_logged_in_order_with_consecutive_sequences_and_its_own_payloads()
    {
        // 64 + 64 + 16 + 4 + 1 + 1 rows: every size of the multi-row insert, and the remainder.
        var events = Enumerable.Range(0, 150).Select(i => CartAdd($"v-{i}", At, eventId: $"g-{i}")).ToArray();
        var (sequences, logged) = await WithWriterAsync((writer, connection) =>
            (Append(writer, events), Column(connection, "SELECT Sequence || '=' || EventId || '/' || SessionId FROM ActivityEvents ORDER BY Sequence")));

        Assert.Equal(Enumerable.Range(1, 150).Select(i => (long)i), sequences);
        Assert.Equal(Enumerable.Range(0, 150).Select(i => $"{i + 1}=g-{i}/v-{i}"), logged);
    }

    [Fact]
    public async Task An_id_logged_after_the_checkpoint_stays_a_duplicate_when_retention_has_passed_its_receive_time()
    {
        // Retention never deletes events after the checkpoint mark, so the writer's filter must not forget their ids either.
        var again = await WithWriterAsync((writer, _) =>
        {
            Append(writer, CartAdd("v-1", At, eventId: "e-1"));
            var later = At.AddYears(2);
            writer.ForgetBefore(later);
            writer.SweepFilter(later); // a new generation starts
            writer.SweepFilter(later); // the old one is swept if retention allows it
            return Append(writer, CartAdd("v-1", At, eventId: "e-1"), CartAdd("v-1", At, eventId: "e-2"));
        });

        Assert.Equal(0, again[0]);
        Assert.True(again[1] > 0);
    }

    [Fact]
    public async Task Logged_events_are_filed_under_their_id_and_session_in_the_lookup_file_and_ids_stay_duplicates()
    {
        var (sequences, ids, timeline, inLog) = await WithWriterAsync((writer, connection) =>
        {
            var logged = Append(writer, CartAdd("v-1", At, eventId: "e-1"), PageView("v-2", At), CartAdd("v-1", At, "YM-02", eventId: "e-3"));
            writer.WriteCheckpoint(Covering(logged.Max()));
            using var lookup = EventLookup.OpenReader(_database.Sqlite);
            return (logged, Column(lookup, "SELECT EventId || '@' || Sequence FROM EventIds ORDER BY EventId"),
                Column(lookup, "SELECT SessionId || '@' || Sequence FROM SessionEvents ORDER BY SessionId, Sequence"),
                Column(connection, "SELECT COUNT(*) FROM EventIds"));
        });
        var again = await WithWriterAsync((writer, _) => Append(writer, CartAdd("v-1", At, eventId: "e-3"), CartAdd("v-1", At, eventId: "e-4")));

        Assert.Equal([$"e-1@{sequences[0]}", $"e-3@{sequences[2]}"], ids);
        Assert.Equal([$"v-1@{sequences[0]}", $"v-1@{sequences[2]}", $"v-2@{sequences[1]}"], timeline);
        Assert.Equal(["0"], inLog); // the log's own file holds no look-up rows: its writer never files them
        Assert.Equal(0, again[0]);
        Assert.True(again[1] > sequences.Max());
    }

    [Fact]
    public async Task Failed_commit_stores_nothing_and_leaves_its_ids_free_for_the_retry()
    {
        var (failure, retry, stored) = await WithWriterAsync((writer, connection) =>
        {
            Execute(connection, """
                CREATE TEMP TRIGGER refuse_boom BEFORE INSERT ON ActivityEvents WHEN NEW.EventId = 'boom'
                BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;
                """);
            var error = Record.Exception(() => Append(writer, CartAdd("v-1", At, eventId: "e-1"), CartAdd("v-1", At, eventId: "boom")));
            Execute(connection, "DROP TRIGGER refuse_boom;");
            return (error, Append(writer, CartAdd("v-1", At, eventId: "e-1"), CartAdd("v-1", At, eventId: "boom")),
                Column(connection, "SELECT EventId FROM ActivityEvents ORDER BY Sequence"));
        });

        Assert.IsType<SqliteException>(failure);
        Assert.All(retry, sequence => Assert.True(sequence > 0));
        Assert.Equal(["e-1", "boom"], stored);
    }

    [Fact]
    public async Task Timeline_shows_events_from_before_and_after_the_last_checkpoint_newest_first()
    {
        await WithWriterAsync((writer, _) =>
        {
            var early = Append(writer, CartAdd("v-1", At, eventId: "e-1"), PageView("v-2", At));
            writer.WriteCheckpoint(Covering(early.Max()));
            return Append(writer, CartAdd("v-1", At, "YM-02", eventId: "e-2"), PageView("v-1", At, "https://shop.example/late"));
        });

        var timeline = await new SessionTimeline(_database.Sqlite).RecentAsync("v-1");
        var newestTwo = await new SessionTimeline(_database.Sqlite).RecentAsync("v-1", limit: 2);

        Assert.Equal([ActivityType.PageView, ActivityType.CartAdd, ActivityType.CartAdd], timeline.Select(e => e.Type));
        Assert.Equal(["YM-02", "WB-01"], timeline.Where(e => e.Item is not null).Select(e => e.Item!.Sku));
        Assert.Equal(timeline.Take(2), newestTwo);
    }

    [Fact]
    public async Task Retention_deletes_an_old_event_and_the_lookup_file_then_drops_its_id_and_timeline_entries()
    {
        var (deleted, ids, timeline, again) = await WithWriterAsync((writer, connection) =>
        {
            var logged = Append(writer, CartAdd("v-1", At, eventId: "e-1"), CartAdd("v-1", At, eventId: "e-2"));
            writer.WriteCheckpoint(Covering(logged.Max()));
            var result = ActivityLog.DeleteExpired(connection, new RetentionBatch(1, At.AddYears(-1), At.AddMinutes(1)), writer.FoldedTo);
            writer.WriteCheckpoint(Covering(logged.Max())); // the look-up file is trimmed when it is next filed
            using var lookup = EventLookup.OpenReader(_database.Sqlite);
            return (result, Column(lookup, "SELECT EventId FROM EventIds"), Column(lookup, "SELECT Sequence FROM SessionEvents"),
                Append(writer, CartAdd("v-1", At, eventId: "e-2"))[0]);
        });

        Assert.Equal(1, deleted.Events);
        Assert.Equal(["e-2"], ids);
        Assert.Single(timeline);
        Assert.Equal(0, again);
    }

    [Fact]
    public async Task Retention_keeps_old_events_the_lookup_file_has_not_filed_yet()
    {
        var (deleted, again) = await WithWriterAsync((writer, connection) =>
        {
            var logged = Append(writer, CartAdd("v-1", At, eventId: "e-1"), CartAdd("v-1", At, eventId: "e-2"));
            writer.WriteCheckpoint(Covering(logged.Max()));
            // As if the look-up file had filed only the first: the second must stay in the log, where its id is confirmed.
            var result = ActivityLog.DeleteExpired(connection, new RetentionBatch(10, At.AddYears(-1), At.AddMinutes(1)), logged[0]);
            return (result, Append(writer, CartAdd("v-1", At, eventId: "e-2"))[0]);
        });

        Assert.Equal(1, deleted.Events);
        Assert.Equal(0, again);
    }

    [Fact]
    public async Task A_lookup_file_left_from_another_log_is_filed_again_and_does_not_make_new_ids_duplicates()
    {
        await WithWriterAsync((writer, _) =>
        {
            var logged = Append(writer, CartAdd("v-1", At, eventId: "old-1"), CartAdd("v-1", At, eventId: "old-2"));
            writer.WriteCheckpoint(Covering(logged.Max()));
            return 0;
        });
        // The log is replaced (restored from elsewhere, deleted by hand); its look-up file stays behind.
        await using (var connection = await _database.Sqlite.OpenAsync())
            Execute(connection, "DELETE FROM ActivityEvents; DELETE FROM Checkpoints;");
        var (fresh, ids) = await WithWriterAsync((writer, _) =>
        {
            var logged = Append(writer, CartAdd("v-2", At.AddMinutes(1), eventId: "old-1"), CartAdd("v-2", At.AddMinutes(1), eventId: "new-1"));
            writer.WriteCheckpoint(Covering(logged.Max()));
            using var lookup = EventLookup.OpenReader(_database.Sqlite);
            return (logged, Column(lookup, "SELECT EventId FROM EventIds ORDER BY EventId"));
        });

        Assert.All(fresh, sequence => Assert.True(sequence > 0));
        Assert.Equal(["new-1", "old-1"], ids);
    }

    private static List<string> Column(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var values = new List<string>();
        while (reader.Read()) values.Add(Convert.ToString(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture)!);
        return values;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
