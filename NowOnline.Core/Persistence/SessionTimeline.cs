using Microsoft.Data.Sqlite;
using NowOnline.Core.Ingestion;
using NowOnline.Core.Presence;
using E = NowOnline.Core.Persistence.Schema.ActivityEvents;
using T = NowOnline.Core.Persistence.Schema.SessionEvents;

namespace NowOnline.Core.Persistence;

/// <summary>
/// Reads a session's recent activity from the durable event log on demand (SessionEvents in the look-up file, then the
/// log's tail), so the tracker keeps no per-session history in memory. On PostgreSQL the cluster's log is read the same way (Cluster/ClusterTimeline).
/// </summary>
public sealed class SessionTimeline
{
    public const int DefaultLimit = 25;
    public const int MaxLimit = 500;

    private readonly Func<string, int, CancellationToken, Task<IReadOnlyList<ActivityEvent>>> _read;

    public SessionTimeline(SqliteDatabase database) => _read = (sessionId, limit, cancellationToken) => ReadAsync(database, sessionId, limit, cancellationToken);

    internal SessionTimeline(Func<string, int, CancellationToken, Task<IReadOnlyList<ActivityEvent>>> read) => _read = read;

    /// <summary>The session's most recent logged events, newest first (page views included).</summary>
    public Task<IReadOnlyList<ActivityEvent>> RecentAsync(string sessionId, int limit = DefaultLimit, CancellationToken cancellationToken = default) =>
        _read(sessionId, Math.Clamp(limit, 1, MaxLimit), cancellationToken);

    private static async Task<IReadOnlyList<ActivityEvent>> ReadAsync(SqliteDatabase database, string sessionId, int limit,
        CancellationToken cancellationToken)
    {
        // Filed under the session in the look-up file (EventLookup), read from one snapshot with the mark it is filed up to;
        // the few events logged beyond the mark are found in the log's tail.
        var (filed, sequences) = await ReadFiledAsync(database, sessionId, limit, cancellationToken);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT {E.Payload} FROM {E.Table}
            WHERE {E.Sequence} IN (SELECT value FROM json_each($filed)) OR ({E.Sequence} > $mark AND {E.SessionId} = $sid)
            ORDER BY {E.Sequence} DESC LIMIT $limit
            """;
        command.Parameters.AddWithValue("$sid", sessionId);
        command.Parameters.AddWithValue("$limit", limit);
        command.Parameters.AddWithValue("$mark", filed);
        command.Parameters.AddWithValue("$filed", "[" + string.Join(',', sequences) + "]");

        var events = new List<ActivityEvent>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) events.Add(EventJson.Deserialize(reader.GetString(0)));
        return events;
    }

    private static async Task<(long Filed, List<long> Sequences)> ReadFiledAsync(SqliteDatabase database, string sessionId,
        int limit, CancellationToken cancellationToken)
    {
        var sequences = new List<long>();
        // Not made yet (the writer has not started): nothing is filed, the whole log is the tail.
        if (!File.Exists(EventLookup.PathOf(database))) return (0, sequences);
        await using var connection = EventLookup.OpenReader(database);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT -1, Sequence FROM Folded
            UNION ALL
            SELECT * FROM (SELECT 0, {T.Sequence} FROM {T.Table} WHERE {T.SessionId} = $sid ORDER BY {T.Sequence} DESC LIMIT $limit)
            """;
        command.Parameters.AddWithValue("$sid", sessionId);
        command.Parameters.AddWithValue("$limit", limit);
        long filed = 0;
        try
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
                if (reader.GetInt64(0) == -1) filed = reader.GetInt64(1);
                else sequences.Add(reader.GetInt64(1));
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == 1 && ex.Message.Contains("no such table", StringComparison.Ordinal))
        {
            // The file exists from the moment the filing thread opens it, its tables a moment later: nothing is filed yet.
            return (0, []);
        }

        return (filed, sequences);
    }
}
