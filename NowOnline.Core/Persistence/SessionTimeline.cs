using NowOnline.Core.Ingestion;
using NowOnline.Core.Presence;

namespace NowOnline.Core.Persistence;

/// <summary>
/// Reads a session's recent activity from the durable event log on demand (SessionEvents, then the log's tail), so the
/// tracker keeps no per-session history in memory.
/// </summary>
public sealed class SessionTimeline(SqliteDatabase database)
{
    public const int DefaultLimit = 25;
    public const int MaxLimit = 500;

    /// <summary>The session's most recent logged events, newest first (page views included).</summary>
    public async Task<IReadOnlyList<ActivityEvent>> RecentAsync(string sessionId, int limit = DefaultLimit, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        // Filed under the session at each checkpoint (SessionEvents); the few events logged since are found in the log's tail.
        command.CommandText = """
            SELECT Payload FROM ActivityEvents WHERE Sequence IN (
              SELECT Sequence FROM (SELECT Sequence FROM SessionEvents WHERE SessionId = $sid ORDER BY Sequence DESC LIMIT $limit)
              UNION
              SELECT Sequence FROM ActivityEvents
              WHERE Sequence > (SELECT COALESCE(MAX(Sequence), 0) FROM Checkpoints) AND SessionId = $sid)
            ORDER BY Sequence DESC LIMIT $limit
            """;
        command.Parameters.AddWithValue("$sid", sessionId);
        command.Parameters.AddWithValue("$limit", Math.Clamp(limit, 1, MaxLimit));

        var events = new List<ActivityEvent>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) events.Add(EventJson.Deserialize(reader.GetString(0)));
        return events;
    }
}
