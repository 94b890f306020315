using Microsoft.Data.Sqlite;
using NowOnline.Core.Persistence;
using NowOnline.Core.Settings;

namespace NowOnline.Core.SessionData;

/// <summary>
/// The shoppers' unsaved data, one JSON object per storefront session. An entry expires Customer Data Lifetime
/// (the setting in force now) after its last write: reads treat it as gone at once, the purge job deletes it later.
/// Carts are kept elsewhere and never expire with it.
/// </summary>
public sealed class SessionDataStore(SqliteDatabase database, SettingsService settings, TimeProvider clock)
{
    private TimeSpan Lifetime => settings.Current.Settings.DataLifetime;

    /// <summary>Stores (or replaces) the session's data; the lifetime starts again.</summary>
    public async Task<SessionDataEntry> PutAsync(string sessionId, string json, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO SessionData (SessionId, Json, UpdatedAtMs) VALUES ($id, $json, $at)
            ON CONFLICT(SessionId) DO UPDATE SET Json = excluded.Json, UpdatedAtMs = excluded.UpdatedAtMs;
            """;
        command.Parameters.AddWithValue("$id", sessionId);
        command.Parameters.AddWithValue("$json", json);
        command.Parameters.AddWithValue("$at", now.ToUnixTimeMilliseconds());
        await command.ExecuteNonQueryAsync(cancellationToken);
        var updatedAt = DateTimeOffset.FromUnixTimeMilliseconds(now.ToUnixTimeMilliseconds());
        return new SessionDataEntry(sessionId, json, updatedAt, updatedAt + Lifetime);
    }

    /// <summary>The session's data, or null when there is none or it has expired (even if not purged yet).</summary>
    public async Task<SessionDataEntry?> GetAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT Json, UpdatedAtMs FROM SessionData WHERE SessionId = $id;";
        command.Parameters.AddWithValue("$id", sessionId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) return null;

        var updatedAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1));
        var expiresAt = updatedAt + Lifetime;
        return clock.GetUtcNow() < expiresAt ? new SessionDataEntry(sessionId, reader.GetString(0), updatedAt, expiresAt) : null;
    }

    /// <summary>Removes the session's data; true when there was some.</summary>
    public async Task<bool> DeleteAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM SessionData WHERE SessionId = $id;";
        command.Parameters.AddWithValue("$id", sessionId);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    /// <summary>Deletes up to <paramref name="batchSize"/> expired entries in one short transaction. Returns how many.</summary>
    public async Task<int> PurgeBatchAsync(int batchSize, CancellationToken cancellationToken = default)
    {
        var cutoff = (clock.GetUtcNow() - Lifetime).ToUnixTimeMilliseconds();
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            DELETE FROM SessionData WHERE rowid IN
              (SELECT rowid FROM SessionData WHERE UpdatedAtMs <= $cutoff ORDER BY UpdatedAtMs LIMIT $batch);
            """;
        command.Parameters.AddWithValue("$cutoff", cutoff);
        command.Parameters.AddWithValue("$batch", batchSize);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Deletes every expired entry, batch by batch. Returns how many.</summary>
    public async Task<int> PurgeExpiredAsync(int batchSize, CancellationToken cancellationToken = default)
    {
        var total = 0;
        int purged;
        do
        {
            purged = await PurgeBatchAsync(batchSize, cancellationToken);
            total += purged;
        }
        while (purged == batchSize && !cancellationToken.IsCancellationRequested);

        return total;
    }

    /// <summary>How many entries are stored, expired or not (for tests and diagnostics).</summary>
    public async Task<long> CountStoredAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM SessionData;";
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}

/// <summary>A session's stored data (the JSON object's text) and when it expires.</summary>
public sealed record SessionDataEntry(string SessionId, string Json, DateTimeOffset UpdatedAt, DateTimeOffset ExpiresAt);
