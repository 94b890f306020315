using NowOnline.Core.Ingestion;
using NowOnline.Core.Presence;
using E = NowOnline.Core.Persistence.Schema.ActivityEvents;
using K = NowOnline.Core.Persistence.Schema.Checkpoints;
using T = NowOnline.Core.Persistence.Schema.SessionEvents;

namespace NowOnline.Core.Persistence;

/// <summary>
/// Reads a session's recent activity from the durable event log on demand (SessionEvents, then the log's tail), so the
/// tracker keeps no per-session history in memory. On PostgreSQL the cluster's log is read the same way (Cluster/ClusterTimeline).
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
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        // Filed under the session at each checkpoint (SessionEvents); the few events logged since are found in the log's tail.
        command.CommandText = $"""
            SELECT {E.Payload} FROM {E.Table} WHERE {E.Sequence} IN (
              SELECT {T.Sequence} FROM (SELECT {T.Sequence} FROM {T.Table} WHERE {T.SessionId} = $sid ORDER BY {T.Sequence} DESC LIMIT $limit)
              UNION
              SELECT {E.Sequence} FROM {E.Table}
              WHERE {E.Sequence} > (SELECT COALESCE(MAX({K.Sequence}), 0) FROM {K.Table}) AND {E.SessionId} = $sid)
            ORDER BY {E.Sequence} DESC LIMIT $limit
            """;
        command.Parameters.AddWithValue("$sid", sessionId);
        command.Parameters.AddWithValue("$limit", Math.Clamp(limit, 1, MaxLimit));

        var events = new List<ActivityEvent>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) events.Add(EventJson.Deserialize(reader.GetString(0)));
        return events;
    }
}
