using Npgsql;
using NowOnline.Core.Ingestion;
using NowOnline.Core.Persistence;
using NowOnline.Core.Presence;
using C = NowOnline.Core.Persistence.Schema.Customers;
using E = NowOnline.Core.Persistence.Schema.ActivityEvents;
using L = NowOnline.Core.Persistence.Schema.CartItems;
using S = NowOnline.Core.Persistence.Schema.Sessions;

namespace NowOnline.Core.Cluster;

/// <summary>
/// Brings a starting node's tracker up to the cluster's log before it is ready: the state tables as of the last
/// checkpoint, then the log after it, never the whole history. The <see cref="LogTailer"/> goes on from there.
/// </summary>
public static class ClusterCatchUp
{
    public static async Task<CatchUpReport> LoadAsync(ClusterDatabase database, PresenceTracker tracker, PresenceOptions options,
        CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var now = tracker.Clock.GetUtcNow();
        var checkpoint = await ClusterState.CheckpointSequenceAsync(connection, cancellationToken);
        // Never shorter than the interval (loaded from settings just before): an online session is always restored.
        var keepSessions = TimeSpan.FromMinutes(options.SessionRetentionMinutes);
        if (tracker.Interval > keepSessions) keepSessions = tracker.Interval;

        var customers = await ReadAsync(connection, $"""SELECT "{C.Id}", "{C.FirstName}", "{C.LastName}", "{C.Email}", "{C.Company}" FROM "{C.Table}" """,
            r => new CustomerProfile(r.GetInt64(0), Text(r, 1), Text(r, 2), Text(r, 3), Text(r, 4)), cancellationToken);
        var sessions = await ReadAsync(connection, $"""
            SELECT "{S.SessionId}", "{S.CustomerId}", "{S.StartedAtMs}", "{S.LastActivityMs}", "{S.LastUrl}", "{S.Store}", "{S.UserAgent}"
            FROM "{S.Table}" WHERE "{S.LastActivityMs}" >= {(now - keepSessions).ToUnixTimeMilliseconds()}
            """,
            r => new SessionSnapshot(r.GetString(0), r.IsDBNull(1) ? null : r.GetInt64(1), Time(r.GetInt64(2)), Time(r.GetInt64(3)),
                Text(r, 4), Text(r, 5), Text(r, 6)), cancellationToken);
        var lines = await ReadAsync(connection, $"""SELECT "{L.Owner}", "{L.Sku}", "{L.Name}", "{L.Qty}" FROM "{L.Table}" """,
            r => (Owner: r.GetString(0), Line: new CartLine(r.GetString(1), Text(r, 2), r.GetInt32(3))), cancellationToken);
        // The ids every other node still remembers; those after the checkpoint are remembered again as they are replayed.
        var seen = await ReadAsync(connection, $"""
            SELECT "{E.EventId}", "{E.ReceivedAtMs}" FROM "{E.Table}"
            WHERE "{E.EventId}" IS NOT NULL AND "{E.ReceivedAtMs}" >= {now.AddMinutes(-options.EventIdRetentionMinutes).ToUnixTimeMilliseconds()}
              AND "{E.Sequence}" <= {checkpoint}
            ORDER BY "{E.Sequence}"
            """,
            r => new SeenEvent(r.GetString(0), Time(r.GetInt64(1))), cancellationToken);

        var carts = lines.GroupBy(l => l.Owner).Select(g => new CartSnapshot(g.Key, g.Select(x => x.Line).ToList())).ToList();
        tracker.Restore(new PresenceState(checkpoint, sessions, customers, carts, seen));

        var replayed = 0L;
        var last = checkpoint;
        while (true)
        {
            var batch = await PostgreSqlEventLog.ReadAfterAsync(connection, last, LogTailer.BatchSize, cancellationToken);
            if (batch.Count == 0) break;
            tracker.Apply(batch.Select(e => EventJson.Deserialize(e.Payload)).ToList(), batch[^1].Sequence);
            replayed += batch.Count;
            last = batch[^1].Sequence;
        }

        return new CatchUpReport(checkpoint, replayed, last);
    }

    private static DateTimeOffset Time(long unixMs) => DateTimeOffset.FromUnixTimeMilliseconds(unixMs);

    private static string? Text(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static async Task<List<T>> ReadAsync<T>(NpgsqlConnection connection, string sql, Func<NpgsqlDataReader, T> map,
        CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var items = new List<T>();
        while (await reader.ReadAsync(cancellationToken)) items.Add(map(reader));
        return items;
    }
}

/// <summary>
/// How a node caught up at start: the checkpoint's sequence it loaded, how many logged events it replayed after it, and
/// the sequence it reached (where its tailer went on).
/// </summary>
public sealed record CatchUpReport(long CheckpointSequence, long ReplayedEvents, long ReachedSequence);

/// <summary>This node's <see cref="CatchUpReport"/>, once <c>InitializeNowOnlineAsync</c> has run.</summary>
public sealed class ClusterStart
{
    public CatchUpReport? CatchUp { get; internal set; }
}
