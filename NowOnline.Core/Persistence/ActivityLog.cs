using Microsoft.Data.Sqlite;
using NowOnline.Core.Ingestion;
using NowOnline.Core.Presence;

namespace NowOnline.Core.Persistence;

/// <summary>The writer's occasional SQL: the storage probe and retention. The hot path is <see cref="ActivityLogWriter"/>.</summary>
internal static class ActivityLog
{
    /// <summary>Rewrites the probe row in its own durable transaction: fails when the file cannot be written.</summary>
    public static void Probe(SqliteConnection connection, DateTimeOffset now)
    {
        using var transaction = WriteTransaction.Begin(connection);
        using (var probe = Command(connection,
                   "INSERT INTO StorageProbes (Id, WrittenAtMs) VALUES (1, $at) ON CONFLICT(Id) DO UPDATE SET WrittenAtMs = $at"))
            Run(probe, ("$at", now.ToUnixTimeMilliseconds()));
        transaction.Commit();
    }

    /// <summary>
    /// Deletes one batch of old sessions (and their visitor carts) and of old logged events, in one short transaction.
    /// Events after the last checkpoint are never deleted: the state tables do not reflect them yet.
    /// </summary>
    public static RetentionResult DeleteExpired(SqliteConnection connection, RetentionBatch batch)
    {
        using var transaction = WriteTransaction.Begin(connection);
        int sessions, events;
        using (var carts = Command(connection,
                   """
                   DELETE FROM CartItems WHERE Owner IN (
                     SELECT 's:' || SessionId FROM Sessions WHERE LastActivityMs < $before ORDER BY LastActivityMs LIMIT $size)
                   """))
            Run(carts, ("$before", batch.SessionsBefore.ToUnixTimeMilliseconds()), ("$size", batch.Size));
        using (var stale = Command(connection,
                   """
                   DELETE FROM Sessions WHERE SessionId IN (
                     SELECT SessionId FROM Sessions WHERE LastActivityMs < $before ORDER BY LastActivityMs LIMIT $size)
                   """))
            sessions = Run(stale, ("$before", batch.SessionsBefore.ToUnixTimeMilliseconds()), ("$size", batch.Size));
        // The same rows three times (one transaction, same ORDER BY and LIMIT): their look-up entries, then the rows.
        const string oldEvents = """
            SELECT Sequence FROM ActivityEvents
            WHERE ReceivedAtMs < $before AND Sequence <= (SELECT COALESCE(MAX(Sequence), 0) FROM Checkpoints)
            ORDER BY Sequence LIMIT $size
            """;
        var eventsBefore = batch.EventsBefore.ToUnixTimeMilliseconds();
        using (var ids = Command(connection, $"""
                   DELETE FROM EventIds WHERE (EventId, Sequence) IN (
                     SELECT EventId, Sequence FROM ActivityEvents WHERE Sequence IN ({oldEvents}) AND EventId IS NOT NULL)
                   """))
            Run(ids, ("$before", eventsBefore), ("$size", batch.Size));
        using (var timeline = Command(connection, $"""
                   DELETE FROM SessionEvents WHERE (SessionId, Sequence) IN (
                     SELECT SessionId, Sequence FROM ActivityEvents WHERE Sequence IN ({oldEvents}) AND SessionId IS NOT NULL)
                   """))
            Run(timeline, ("$before", eventsBefore), ("$size", batch.Size));
        using (var old = Command(connection, $"DELETE FROM ActivityEvents WHERE Sequence IN ({oldEvents})"))
            events = Run(old, ("$before", eventsBefore), ("$size", batch.Size));
        transaction.Commit();
        return new RetentionResult(sessions, events);
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }

    private static int Run(SqliteCommand command, params (string Name, object? Value)[] values)
    {
        command.Parameters.Clear();
        foreach (var (name, value) in values) command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command.ExecuteNonQuery();
    }
}
