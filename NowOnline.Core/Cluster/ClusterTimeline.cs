using NowOnline.Core.Ingestion;
using NowOnline.Core.Presence;
using Npgsql;
using E = NowOnline.Core.Persistence.Schema.ActivityEvents;
using K = NowOnline.Core.Persistence.Schema.Checkpoints;
using T = NowOnline.Core.Persistence.Schema.SessionEvents;

namespace NowOnline.Core.Cluster;

/// <summary>
/// A session's recent activity from the cluster's log: SessionEvents (filed by each checkpoint), then the log after the
/// checkpoint, as the SQLite timeline reads it.
/// </summary>
internal static class ClusterTimeline
{
    public static async Task<IReadOnlyList<ActivityEvent>> RecentAsync(ClusterDatabase database, string sessionId, int limit,
        CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"""
            SELECT "{E.Payload}" FROM "{E.Table}" WHERE "{E.Sequence}" IN (
              SELECT "{T.Sequence}" FROM (SELECT "{T.Sequence}" FROM "{T.Table}" WHERE "{T.SessionId}" = @sid ORDER BY "{T.Sequence}" DESC LIMIT @limit) AS filed
              UNION
              SELECT "{E.Sequence}" FROM "{E.Table}"
              WHERE "{E.Sequence}" > (SELECT COALESCE(MAX("{K.Sequence}"), 0) FROM "{K.Table}") AND "{E.SessionId}" = @sid)
            ORDER BY "{E.Sequence}" DESC LIMIT @limit
            """, connection);
        command.Parameters.AddWithValue("sid", sessionId);
        command.Parameters.AddWithValue("limit", limit);
        var events = new List<ActivityEvent>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) events.Add(EventJson.Deserialize(reader.GetString(0)));
        return events;
    }
}
