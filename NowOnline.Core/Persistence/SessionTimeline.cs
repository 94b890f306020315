using Microsoft.Data.Sqlite;
using NowOnline.Core.Ingestion;
using NowOnline.Core.Presence;

namespace NowOnline.Core.Persistence;

/// <summary>
/// Reads a session's recent activity from the durable event log on demand, so the tracker keeps no
/// per-session history in memory.
/// </summary>
public sealed class SessionTimeline(SqliteDatabase database)
{
    public const int DefaultLimit = 25;

    // Without a SessionId column the log is searched from its newest end, at most this many events back.
    private const int PayloadScanWindow = 50_000;
    private bool? _hasSessionColumn;

    /// <summary>The session's most recent logged events, newest first (page views included).</summary>
    public async Task<IReadOnlyList<ActivityEvent>> RecentAsync(string sessionId, int limit = DefaultLimit, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        _hasSessionColumn ??= await HasSessionColumnAsync(connection, cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = _hasSessionColumn == true
            ? "SELECT Payload FROM ActivityEvents WHERE SessionId = $sid ORDER BY Sequence DESC LIMIT $limit"
            : """
              SELECT Payload FROM ActivityEvents
              WHERE Sequence > (SELECT IFNULL(MAX(Sequence), 0) FROM ActivityEvents) - $window
                AND json_extract(Payload, '$.sessionId') = $sid
              ORDER BY Sequence DESC LIMIT $limit
              """;
        command.Parameters.AddWithValue("$sid", sessionId);
        command.Parameters.AddWithValue("$limit", Math.Clamp(limit, 1, 500));
        command.Parameters.AddWithValue("$window", PayloadScanWindow);

        var events = new List<ActivityEvent>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) events.Add(EventJson.Deserialize(reader.GetString(0)));
        return events;
    }

    private static async Task<bool> HasSessionColumnAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM pragma_table_info('ActivityEvents') WHERE name = 'SessionId'";
        return (long)(await command.ExecuteScalarAsync(cancellationToken))! > 0;
    }
}
