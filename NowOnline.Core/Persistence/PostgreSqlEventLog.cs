using Npgsql;
using NpgsqlTypes;
using E = NowOnline.Core.Persistence.Schema.ActivityEvents;

namespace NowOnline.Core.Persistence;

/// <summary>
/// The cluster's event log in PostgreSQL, in one order (ADR-007): appends are serialised by a transaction-level
/// advisory lock, so sequence numbers become visible strictly in order and a reader that resumes after the last
/// sequence it saw can never skip an event that commits later. Each append wakes the readers with NOTIFY (delivered
/// at commit). Ingestion on PostgreSQL appends through it (Cluster/ClusterIngestor); every node reads it (Cluster/LogTailer).
/// </summary>
public static class PostgreSqlEventLog
{
    public const string Channel = "nowonline_events";

    /// <summary>The advisory lock that orders appends (distinct from the migration lock).</summary>
    public const long AppendLockKey = 0x4E4F_574F_4C4F_4721; // "NOWOLOG!"

    private const string Append = $"""
        INSERT INTO "{E.Table}" ("{E.EventId}", "{E.SessionId}", "{E.ReceivedAtMs}", "{E.Payload}")
        SELECT e.id, e.session, @at, e.payload FROM unnest(@ids, @sessions, @payloads) WITH ORDINALITY AS e(id, session, payload, n)
        ORDER BY e.n
        RETURNING "{E.Sequence}"
        """;

    /// <summary>
    /// Appends a group of events in one durable transaction; returns their sequence numbers, in the group's order.
    /// When this returns, the events are committed and every earlier sequence is visible. The lock, the insert and the
    /// notification go in one batch, one round trip, as one implicit transaction that commits at its end: the lock is
    /// held for the server's work only, never across a network round trip of a node (that is what bounds the cluster's
    /// append rate).
    /// </summary>
    public static async Task<long[]> AppendAsync(NpgsqlConnection connection, IReadOnlyList<LoggedEvent> events, long receivedAtMs,
        CancellationToken cancellationToken = default)
    {
        await using var batch = new NpgsqlBatch(connection);
        batch.BatchCommands.Add(new NpgsqlBatchCommand($"SELECT pg_advisory_xact_lock({AppendLockKey})"));
        var insert = new NpgsqlBatchCommand(Append);
        insert.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = events.Select(e => (object?)e.EventId ?? DBNull.Value).ToArray() });
        insert.Parameters.Add(new NpgsqlParameter("sessions", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = events.Select(e => (object?)e.SessionId ?? DBNull.Value).ToArray() });
        insert.Parameters.Add(new NpgsqlParameter("payloads", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = events.Select(e => e.Payload).ToArray() });
        insert.Parameters.AddWithValue("at", receivedAtMs);
        batch.BatchCommands.Add(insert);
        batch.BatchCommands.Add(new NpgsqlBatchCommand($"NOTIFY {Channel}"));
        var sequences = new List<long>(events.Count);
        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken))
        {
            await reader.NextResultAsync(cancellationToken); // past the lock's row
            while (await reader.ReadAsync(cancellationToken)) sequences.Add(reader.GetInt64(0));
            // Reads on to the end of the batch: the commit's outcome (an error throws here).
            while (await reader.NextResultAsync(cancellationToken))
            {
            }
        }

        return [.. sequences];
    }

    /// <summary>Which of <paramref name="eventIds"/> the log already holds (the kept log: retention decides how far back).</summary>
    public static async Task<HashSet<string>> LoggedIdsAsync(NpgsqlConnection connection, IReadOnlyCollection<string> eventIds,
        CancellationToken cancellationToken = default)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        if (eventIds.Count == 0) return found;
        await using var find = new NpgsqlCommand($"""
            SELECT "{E.EventId}" FROM "{E.Table}" WHERE "{E.EventId}" = ANY(@ids)
            """, connection);
        find.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = eventIds.ToArray() });
        await using var reader = await find.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) found.Add(reader.GetString(0));
        return found;
    }

    /// <summary>The events after <paramref name="afterSequence"/>, in sequence order, at most <paramref name="limit"/>.</summary>
    public static async Task<IReadOnlyList<LoggedEvent>> ReadAfterAsync(NpgsqlConnection connection, long afterSequence, int limit,
        CancellationToken cancellationToken = default)
    {
        await using var read = new NpgsqlCommand($"""
            SELECT "{E.Sequence}", "{E.EventId}", "{E.SessionId}", "{E.Payload}" FROM "{E.Table}"
            WHERE "{E.Sequence}" > @after ORDER BY "{E.Sequence}" LIMIT @limit
            """, connection);
        read.Parameters.AddWithValue("after", afterSequence);
        read.Parameters.AddWithValue("limit", limit);
        var events = new List<LoggedEvent>();
        await using var reader = await read.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            events.Add(new LoggedEvent(reader.IsDBNull(1) ? null : reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.GetString(3), reader.GetInt64(0)));
        return events;
    }

    /// <summary>
    /// Reads the log in order from <paramref name="afterSequence"/> for as long as <paramref name="cancellationToken"/>
    /// allows, handing each batch to <paramref name="apply"/>: woken by NOTIFY, and every <paramref name="poll"/> anyway
    /// (a notification lost with a connection only delays the next read).
    /// </summary>
    public static async Task TailAsync(string connectionString, long afterSequence, Func<IReadOnlyList<LoggedEvent>, Task> apply,
        TimeSpan poll, CancellationToken cancellationToken)
    {
        await using var listener = new NpgsqlConnection(connectionString);
        await listener.OpenAsync(cancellationToken);
        await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", listener))
            await listen.ExecuteNonQueryAsync(cancellationToken);
        await using var reader = new NpgsqlConnection(connectionString);
        await reader.OpenAsync(cancellationToken);
        var applied = afterSequence;
        while (!cancellationToken.IsCancellationRequested)
        {
            IReadOnlyList<LoggedEvent> batch;
            while ((batch = await ReadAfterAsync(reader, applied, 5000, cancellationToken)).Count > 0)
            {
                await apply(batch);
                applied = batch[^1].Sequence;
            }

            // Notifications that arrived while reading are consumed here; the read above already covered them.
            await listener.WaitAsync(poll, cancellationToken);
        }
    }
}

/// <summary>One event as the log holds it; <see cref="Sequence"/> is 0 until it is appended.</summary>
public sealed record LoggedEvent(string? EventId, string? SessionId, string Payload, long Sequence = 0);
