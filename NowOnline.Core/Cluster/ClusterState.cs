using Npgsql;
using NpgsqlTypes;
using NowOnline.Core.Ingestion;
using NowOnline.Core.Presence;
using C = NowOnline.Core.Persistence.Schema.Customers;
using E = NowOnline.Core.Persistence.Schema.ActivityEvents;
using K = NowOnline.Core.Persistence.Schema.Checkpoints;
using L = NowOnline.Core.Persistence.Schema.CartItems;
using P = NowOnline.Core.Persistence.Schema.StorageProbes;
using S = NowOnline.Core.Persistence.Schema.Sessions;
using T = NowOnline.Core.Persistence.Schema.SessionEvents;

namespace NowOnline.Core.Cluster;

/// <summary>
/// The cluster's state tables in PostgreSQL, written by the checkpoint writer only (<see cref="CheckpointLeader"/>): each
/// statement binds whole arrays (<c>unnest</c>), so a checkpoint is a handful of round trips whatever its size.
/// </summary>
internal static class ClusterState
{
    /// <summary>The sequence the state tables reflect (0: none yet).</summary>
    public static async Task<long> CheckpointSequenceAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var read = new NpgsqlCommand($"""SELECT COALESCE(MAX("{K.Sequence}"), 0) FROM "{K.Table}" """, connection);
        return (long)(await read.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>
    /// Writes the changed rows and the sequence they reflect, and files the events logged since the previous checkpoint
    /// under their session (timelines), all or nothing.
    /// </summary>
    public static async Task WriteCheckpointAsync(NpgsqlConnection connection, PresenceCheckpoint checkpoint, long previous,
        CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (checkpoint.Customers.Count > 0)
        {
            var customers = checkpoint.Customers.OrderBy(c => c.Id).ToList();
            await using var upsert = new NpgsqlCommand($"""
                INSERT INTO "{C.Table}" ("{C.Id}", "{C.FirstName}", "{C.LastName}", "{C.Email}", "{C.Company}")
                SELECT * FROM unnest(@ids, @first, @last, @email, @company)
                ON CONFLICT ("{C.Id}") DO UPDATE SET "{C.FirstName}" = EXCLUDED."{C.FirstName}", "{C.LastName}" = EXCLUDED."{C.LastName}",
                  "{C.Email}" = EXCLUDED."{C.Email}", "{C.Company}" = EXCLUDED."{C.Company}"
                """, connection, transaction);
            upsert.Parameters.Add(Longs("ids", customers.Select(c => (long?)c.Id)));
            upsert.Parameters.Add(Texts("first", customers.Select(c => c.FirstName)));
            upsert.Parameters.Add(Texts("last", customers.Select(c => c.LastName)));
            upsert.Parameters.Add(Texts("email", customers.Select(c => c.Email)));
            upsert.Parameters.Add(Texts("company", customers.Select(c => c.Company)));
            await upsert.ExecuteNonQueryAsync(cancellationToken);
        }

        if (checkpoint.Sessions.Count > 0)
        {
            var sessions = checkpoint.Sessions.OrderBy(s => s.SessionId, StringComparer.Ordinal).ToList();
            await using var upsert = new NpgsqlCommand($"""
                INSERT INTO "{S.Table}" ("{S.SessionId}", "{S.CustomerId}", "{S.StartedAtMs}", "{S.LastActivityMs}", "{S.LastUrl}", "{S.Store}", "{S.UserAgent}")
                SELECT * FROM unnest(@ids, @customers, @started, @last, @urls, @stores, @agents)
                ON CONFLICT ("{S.SessionId}") DO UPDATE SET "{S.CustomerId}" = EXCLUDED."{S.CustomerId}",
                  "{S.StartedAtMs}" = EXCLUDED."{S.StartedAtMs}", "{S.LastActivityMs}" = EXCLUDED."{S.LastActivityMs}",
                  "{S.LastUrl}" = EXCLUDED."{S.LastUrl}", "{S.Store}" = EXCLUDED."{S.Store}", "{S.UserAgent}" = EXCLUDED."{S.UserAgent}"
                """, connection, transaction);
            upsert.Parameters.Add(Texts("ids", sessions.Select(s => (string?)s.SessionId)));
            upsert.Parameters.Add(Longs("customers", sessions.Select(s => s.CustomerId)));
            upsert.Parameters.Add(Longs("started", sessions.Select(s => (long?)s.StartedAt.ToUnixTimeMilliseconds())));
            upsert.Parameters.Add(Longs("last", sessions.Select(s => (long?)s.LastActivity.ToUnixTimeMilliseconds())));
            upsert.Parameters.Add(Texts("urls", sessions.Select(s => s.LastUrl)));
            upsert.Parameters.Add(Texts("stores", sessions.Select(s => s.Store)));
            upsert.Parameters.Add(Texts("agents", sessions.Select(s => s.UserAgent)));
            await upsert.ExecuteNonQueryAsync(cancellationToken);
        }

        if (checkpoint.Carts.Count > 0)
        {
            await using (var clear = new NpgsqlCommand($"""DELETE FROM "{L.Table}" WHERE "{L.Owner}" = ANY(@owners)""", connection, transaction))
            {
                clear.Parameters.Add(Texts("owners", checkpoint.Carts.Select(c => (string?)c.Owner)));
                await clear.ExecuteNonQueryAsync(cancellationToken);
            }

            var lines = checkpoint.Carts.SelectMany(cart => cart.Lines.Select(line => (cart.Owner, Line: line))).ToList();
            if (lines.Count > 0)
            {
                await using var insert = new NpgsqlCommand($"""
                    INSERT INTO "{L.Table}" ("{L.Owner}", "{L.Sku}", "{L.Name}", "{L.Qty}") SELECT * FROM unnest(@owners, @skus, @names, @qtys)
                    """, connection, transaction);
                insert.Parameters.Add(Texts("owners", lines.Select(l => (string?)l.Owner)));
                insert.Parameters.Add(Texts("skus", lines.Select(l => (string?)l.Line.Sku)));
                insert.Parameters.Add(Texts("names", lines.Select(l => l.Line.Name)));
                insert.Parameters.Add(new NpgsqlParameter("qtys", NpgsqlDbType.Array | NpgsqlDbType.Integer) { Value = lines.Select(l => l.Line.Qty).ToArray() });
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        await using (var file = new NpgsqlCommand($"""
                         INSERT INTO "{T.Table}" ("{T.SessionId}", "{T.Sequence}")
                         SELECT "{E.SessionId}", "{E.Sequence}" FROM "{E.Table}"
                         WHERE "{E.Sequence}" > @previous AND "{E.Sequence}" <= @sequence AND "{E.SessionId}" IS NOT NULL
                         ON CONFLICT DO NOTHING
                         """, connection, transaction))
        {
            file.Parameters.AddWithValue("previous", previous);
            file.Parameters.AddWithValue("sequence", checkpoint.Sequence);
            await file.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var mark = new NpgsqlCommand($"""
                         INSERT INTO "{K.Table}" ("{K.Id}", "{K.Sequence}") VALUES (1, @sequence)
                         ON CONFLICT ("{K.Id}") DO UPDATE SET "{K.Sequence}" = EXCLUDED."{K.Sequence}"
                         """, connection, transaction))
        {
            mark.Parameters.AddWithValue("sequence", checkpoint.Sequence);
            await mark.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Deletes one batch of old sessions (with their visitor carts) and of old logged events that the checkpoint covers
    /// (with their timeline entries), in one short transaction.
    /// </summary>
    public static async Task<RetentionResult> DeleteExpiredAsync(NpgsqlConnection connection, RetentionBatch batch,
        CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        const string oldSessions = $"""
            SELECT "{S.SessionId}" FROM "{S.Table}" WHERE "{S.LastActivityMs}" < @before ORDER BY "{S.LastActivityMs}" LIMIT @size
            """;
        await using (var carts = new NpgsqlCommand($"""
                         DELETE FROM "{L.Table}" WHERE "{L.Owner}" IN (SELECT 's:' || "{S.SessionId}" FROM ({oldSessions}) AS old)
                         """, connection, transaction))
        {
            carts.Parameters.AddWithValue("before", batch.SessionsBefore.ToUnixTimeMilliseconds());
            carts.Parameters.AddWithValue("size", batch.Size);
            await carts.ExecuteNonQueryAsync(cancellationToken);
        }

        int sessions;
        await using (var stale = new NpgsqlCommand($"""DELETE FROM "{S.Table}" WHERE "{S.SessionId}" IN ({oldSessions})""", connection, transaction))
        {
            stale.Parameters.AddWithValue("before", batch.SessionsBefore.ToUnixTimeMilliseconds());
            stale.Parameters.AddWithValue("size", batch.Size);
            sessions = await stale.ExecuteNonQueryAsync(cancellationToken);
        }

        // Every part of one WITH sees the same snapshot: the timeline entries are found through the rows deleted beside them.
        int events;
        await using (var old = new NpgsqlCommand($"""
                         WITH old AS (
                           SELECT "{E.Sequence}", "{E.SessionId}" FROM "{E.Table}"
                           WHERE "{E.ReceivedAtMs}" < @before AND "{E.Sequence}" <= (SELECT COALESCE(MAX("{K.Sequence}"), 0) FROM "{K.Table}")
                           ORDER BY "{E.Sequence}" LIMIT @size),
                         timeline AS (
                           DELETE FROM "{T.Table}" t USING old
                           WHERE t."{T.SessionId}" = old."{E.SessionId}" AND t."{T.Sequence}" = old."{E.Sequence}")
                         DELETE FROM "{E.Table}" WHERE "{E.Sequence}" IN (SELECT "{E.Sequence}" FROM old)
                         """, connection, transaction))
        {
            old.Parameters.AddWithValue("before", batch.EventsBefore.ToUnixTimeMilliseconds());
            old.Parameters.AddWithValue("size", batch.Size);
            events = await old.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return new RetentionResult(sessions, events);
    }

    /// <summary>Rewrites the probe row in its own transaction: fails when the database cannot be written.</summary>
    public static async Task ProbeAsync(ClusterDatabase database, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var probe = new NpgsqlCommand($"""
            INSERT INTO "{P.Table}" ("{P.Id}", "{P.WrittenAtMs}") VALUES (1, @at)
            ON CONFLICT ("{P.Id}") DO UPDATE SET "{P.WrittenAtMs}" = EXCLUDED."{P.WrittenAtMs}"
            """, connection);
        probe.Parameters.AddWithValue("at", at.ToUnixTimeMilliseconds());
        await probe.ExecuteNonQueryAsync(cancellationToken);
    }

    private static NpgsqlParameter Texts(string name, IEnumerable<string?> values) =>
        new(name, NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = values.Select(v => (object?)v ?? DBNull.Value).ToArray() };

    private static NpgsqlParameter Longs(string name, IEnumerable<long?> values) =>
        new(name, NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = values.Select(v => (object?)v ?? DBNull.Value).ToArray() };
}
