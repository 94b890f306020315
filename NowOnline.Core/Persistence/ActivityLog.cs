using Microsoft.Data.Sqlite;
using NowOnline.Core.Ingestion;
using NowOnline.Core.Presence;
using E = NowOnline.Core.Persistence.Schema.ActivityEvents;
using I = NowOnline.Core.Persistence.Schema.EventIds;
using K = NowOnline.Core.Persistence.Schema.Checkpoints;
using L = NowOnline.Core.Persistence.Schema.CartItems;
using P = NowOnline.Core.Persistence.Schema.StorageProbes;
using S = NowOnline.Core.Persistence.Schema.Sessions;
using T = NowOnline.Core.Persistence.Schema.SessionEvents;

namespace NowOnline.Core.Persistence;

/// <summary>The writer's occasional SQL: the storage probe and retention. The hot path is <see cref="ActivityLogWriter"/>.</summary>
internal static class ActivityLog
{
    /// <summary>Rewrites the probe row in its own durable transaction: fails when the file cannot be written.</summary>
    public static void Probe(SqliteConnection connection, DateTimeOffset now)
    {
        using var transaction = WriteTransaction.Begin(connection);
        using (var probe = Command(connection,
                   $"INSERT INTO {P.Table} ({P.Id}, {P.WrittenAtMs}) VALUES (1, $at) ON CONFLICT({P.Id}) DO UPDATE SET {P.WrittenAtMs} = $at"))
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
                   $"""
                   DELETE FROM {L.Table} WHERE {L.Owner} IN (
                     SELECT 's:' || {S.SessionId} FROM {S.Table} WHERE {S.LastActivityMs} < $before ORDER BY {S.LastActivityMs} LIMIT $size)
                   """))
            Run(carts, ("$before", batch.SessionsBefore.ToUnixTimeMilliseconds()), ("$size", batch.Size));
        using (var stale = Command(connection,
                   $"""
                   DELETE FROM {S.Table} WHERE {S.SessionId} IN (
                     SELECT {S.SessionId} FROM {S.Table} WHERE {S.LastActivityMs} < $before ORDER BY {S.LastActivityMs} LIMIT $size)
                   """))
            sessions = Run(stale, ("$before", batch.SessionsBefore.ToUnixTimeMilliseconds()), ("$size", batch.Size));
        // The same rows three times (one transaction, same ORDER BY and LIMIT): their look-up entries, then the rows.
        const string oldEvents = $"""
            SELECT {E.Sequence} FROM {E.Table}
            WHERE {E.ReceivedAtMs} < $before AND {E.Sequence} <= (SELECT COALESCE(MAX({K.Sequence}), 0) FROM {K.Table})
            ORDER BY {E.Sequence} LIMIT $size
            """;
        var eventsBefore = batch.EventsBefore.ToUnixTimeMilliseconds();
        using (var ids = Command(connection, $"""
                   DELETE FROM {I.Table} WHERE ({I.EventId}, {I.Sequence}) IN (
                     SELECT {E.EventId}, {E.Sequence} FROM {E.Table} WHERE {E.Sequence} IN ({oldEvents}) AND {E.EventId} IS NOT NULL)
                   """))
            Run(ids, ("$before", eventsBefore), ("$size", batch.Size));
        using (var timeline = Command(connection, $"""
                   DELETE FROM {T.Table} WHERE ({T.SessionId}, {T.Sequence}) IN (
                     SELECT {E.SessionId}, {E.Sequence} FROM {E.Table} WHERE {E.Sequence} IN ({oldEvents}) AND {E.SessionId} IS NOT NULL)
                   """))
            Run(timeline, ("$before", eventsBefore), ("$size", batch.Size));
        using (var old = Command(connection, $"DELETE FROM {E.Table} WHERE {E.Sequence} IN ({oldEvents})"))
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
