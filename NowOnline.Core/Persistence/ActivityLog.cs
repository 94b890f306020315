using Microsoft.Data.Sqlite;
using NowOnline.Core.Ingestion;
using NowOnline.Core.Presence;
using E = NowOnline.Core.Persistence.Schema.ActivityEvents;
using K = NowOnline.Core.Persistence.Schema.Checkpoints;
using L = NowOnline.Core.Persistence.Schema.CartItems;
using P = NowOnline.Core.Persistence.Schema.StorageProbes;
using S = NowOnline.Core.Persistence.Schema.Sessions;

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
    /// Events after the last checkpoint are never deleted: the state tables do not reflect them yet; nor are those after
    /// <paramref name="filedTo"/>, which the look-up file has not filed yet (the writer's id set confirms them in the log).
    /// </summary>
    public static RetentionResult DeleteExpired(SqliteConnection connection, RetentionBatch batch, long filedTo)
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
        // The look-up file trims its rows of these events once they are gone (EventLookup).
        const string oldEvents = $"""
            SELECT {E.Sequence} FROM {E.Table}
            WHERE {E.ReceivedAtMs} < $before AND {E.Sequence} <= (SELECT COALESCE(MAX({K.Sequence}), 0) FROM {K.Table})
              AND {E.Sequence} <= $filed
            ORDER BY {E.Sequence} LIMIT $size
            """;
        var eventsBefore = batch.EventsBefore.ToUnixTimeMilliseconds();
        using (var old = Command(connection, $"DELETE FROM {E.Table} WHERE {E.Sequence} IN ({oldEvents})"))
            events = Run(old, ("$before", eventsBefore), ("$size", batch.Size), ("$filed", filedTo));
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
