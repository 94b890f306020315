using Microsoft.Data.Sqlite;
using NowOnline.Core.Ingestion;
using NowOnline.Core.Presence;
using C = NowOnline.Core.Persistence.Schema.Customers;
using E = NowOnline.Core.Persistence.Schema.ActivityEvents;
using K = NowOnline.Core.Persistence.Schema.Checkpoints;
using L = NowOnline.Core.Persistence.Schema.CartItems;
using S = NowOnline.Core.Persistence.Schema.Sessions;

namespace NowOnline.Core.Persistence;

/// <summary>
/// Rebuilds the tracker at start: the state tables, then the log written after the checkpoint mark. Rows a checkpoint pass
/// wrote after the mark (the pass was cut between two slices) carry the later sequence they reflect, and the replay skips
/// what they already hold (<see cref="RestoredRows"/>).
/// </summary>
internal static class PresenceStateLoader
{
    public static async Task<long> LoadAsync(SqliteConnection connection, PresenceTracker tracker, PresenceOptions options,
        CancellationToken cancellationToken)
    {
        var now = tracker.Clock.GetUtcNow();
        var checkpoint = await MarkAsync(connection, cancellationToken);
        // Never shorter than the interval (loaded from settings just before): an online session is always restored.
        var keepSessions = TimeSpan.FromMinutes(options.SessionRetentionMinutes);
        if (tracker.Interval > keepSessions) keepSessions = tracker.Interval;
        var sessionHorizon = (now - keepSessions).ToUnixTimeMilliseconds();
        var eventHorizon = now.AddMinutes(-options.EventIdRetentionMinutes).ToUnixTimeMilliseconds();

        var customers = await ReadAsync(connection, $"SELECT {C.Id}, {C.FirstName}, {C.LastName}, {C.Email}, {C.Company} FROM {C.Table}",
            r => new CustomerProfile(r.GetInt64(0), Text(r, 1), Text(r, 2), Text(r, 3), Text(r, 4)), cancellationToken);
        var sessions = await ReadAsync(connection,
            $"SELECT {S.SessionId}, {S.CustomerId}, {S.StartedAtMs}, {S.LastActivityMs}, {S.LastUrl}, {S.Store}, {S.UserAgent} FROM {S.Table} WHERE {S.LastActivityMs} >= {sessionHorizon}",
            r => new SessionSnapshot(r.GetString(0), r.IsDBNull(1) ? null : r.GetInt64(1), Time(r.GetInt64(2)), Time(r.GetInt64(3)),
                Text(r, 4), Text(r, 5), Text(r, 6)), cancellationToken);
        var lines = await ReadAsync(connection, $"SELECT {L.Owner}, {L.Sku}, {L.Name}, {L.Qty} FROM {L.Table}",
            r => (Owner: r.GetString(0), Line: new CartLine(r.GetString(1), Text(r, 2), r.GetInt32(3))), cancellationToken);
        // Ids of events after the checkpoint are remembered again as they are replayed.
        var seen = await NewestSeenAsync(connection, checkpoint, eventHorizon,
            EventIdWindow.CapacityFor(options.EventIdMemoryBudgetMegabytes), cancellationToken);

        var restored = new RestoredRows();
        foreach (var (id, sequence) in await ReadAsync(connection,
                     $"SELECT {S.SessionId}, {S.AppliedSequence} FROM {S.Table} WHERE {S.AppliedSequence} > {checkpoint}",
                     r => (r.GetString(0), r.GetInt64(1)), cancellationToken))
        {
            restored.Sessions[id] = sequence;
            restored.CartsThrough = Math.Max(restored.CartsThrough, sequence);
        }

        restored.CartsThrough = Math.Max(restored.CartsThrough,
            await ScalarAsync(connection, $"SELECT COALESCE(MAX({C.AppliedSequence}), 0) FROM {C.Table}", cancellationToken));
        foreach (var (owner, sequence) in await ReadAsync(connection,
                     $"SELECT {L.Owner}, MAX({L.AppliedSequence}) FROM {L.Table} WHERE {L.AppliedSequence} > {checkpoint} GROUP BY {L.Owner}",
                     r => (r.GetString(0), r.GetInt64(1)), cancellationToken))
            restored.Carts[owner] = sequence;
        var filter = restored.IsEmptyAfter(checkpoint) ? null : restored;

        var carts = lines.GroupBy(l => l.Owner).Select(g => new CartSnapshot(g.Key, g.Select(x => x.Line).ToList())).ToList();
        tracker.Restore(new PresenceState(checkpoint, sessions, customers, carts, seen));

        var replayed = 0L;
        await using var tail = connection.CreateCommand();
        tail.CommandText = $"SELECT {E.Sequence}, {E.Payload} FROM {E.Table} WHERE {E.Sequence} > {checkpoint} ORDER BY {E.Sequence}";
        await using var reader = await tail.ExecuteReaderAsync(cancellationToken);
        var chunk = new List<ActivityEvent>(1000);
        var sequences = new List<long>(1000);
        while (await reader.ReadAsync(cancellationToken))
        {
            sequences.Add(reader.GetInt64(0));
            chunk.Add(EventJson.Deserialize(reader.GetString(1)));
            if (chunk.Count < 1000) continue;
            replayed += Replay(tracker, chunk, sequences, filter);
            chunk.Clear();
            sequences.Clear();
        }

        if (chunk.Count > 0) replayed += Replay(tracker, chunk, sequences, filter);
        return replayed;
    }

    /// <summary>
    /// The newest <paramref name="most"/> event ids logged up to the checkpoint and within the retention, oldest first: the
    /// tracker's window holds no more (its eighth of the de-duplication budget), so reading every id of the retention only
    /// to drop all but the newest filled the heap at start with ids the window forgot at once (a day of traffic at the
    /// soak's rate is millions of ids, against the window's 52,428 at the default 64 MB budget).
    /// </summary>
    internal static async Task<List<SeenEvent>> NewestSeenAsync(SqliteConnection connection, long checkpoint, long horizonMs, int most,
        CancellationToken cancellationToken)
    {
        var newestFirst = await ReadAsync(connection,
            $"SELECT {E.EventId}, {E.ReceivedAtMs} FROM {E.Table} WHERE {E.EventId} IS NOT NULL AND {E.ReceivedAtMs} >= {horizonMs} "
            + $"AND {E.Sequence} <= {checkpoint} ORDER BY {E.Sequence} DESC LIMIT {most}",
            r => new SeenEvent(r.GetString(0), Time(r.GetInt64(1))), cancellationToken);
        newestFirst.Reverse();
        return newestFirst;
    }

    private static int Replay(PresenceTracker tracker, List<ActivityEvent> events, List<long> sequences, RestoredRows? filter) =>
        filter is null ? tracker.Apply(events, sequences[^1]).Applied : tracker.Replay(events, sequences, filter).Applied;

    private static async Task<long> MarkAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        return await ScalarAsync(connection, $"SELECT COALESCE(MAX({K.Sequence}), 0) FROM {K.Table}", cancellationToken);
    }

    private static DateTimeOffset Time(long unixMs) => DateTimeOffset.FromUnixTimeMilliseconds(unixMs);

    private static string? Text(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static async Task<long> ScalarAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<List<T>> ReadAsync<T>(SqliteConnection connection, string sql, Func<SqliteDataReader, T> map,
        CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var items = new List<T>();
        while (await reader.ReadAsync(cancellationToken)) items.Add(map(reader));
        return items;
    }
}
