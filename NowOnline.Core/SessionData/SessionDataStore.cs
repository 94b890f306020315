using Microsoft.EntityFrameworkCore;
using NowOnline.Core.Persistence;
using NowOnline.Core.Settings;

namespace NowOnline.Core.SessionData;

/// <summary>
/// The shoppers' unsaved data, one JSON object per storefront session. An entry expires Customer Data Lifetime
/// (the setting in force now) after its last write: reads treat it as gone at once, the purge job deletes it later.
/// Carts are kept elsewhere and never expire with it. Ordinary EF reads and writes, so on PostgreSQL every node
/// shares it.
/// </summary>
public sealed class SessionDataStore(IDbContextFactory<NowOnlineDb> databases, SettingsService settings, TimeProvider clock)
{
    private TimeSpan Lifetime => settings.Current.Settings.DataLifetime;

    /// <summary>Stores (or replaces) the session's data; the lifetime starts again.</summary>
    public async Task<SessionDataEntry> PutAsync(string sessionId, string json, CancellationToken cancellationToken = default)
    {
        var at = clock.GetUtcNow().ToUnixTimeMilliseconds();
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        if (await ReplaceAsync(db, sessionId, json, at, cancellationToken) == 0)
        {
            db.SessionData.Add(new SessionDataRecord { SessionId = sessionId, Json = json, UpdatedAtMs = at });
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                // Another request (or node) created it first: the later write wins, as with a replace.
                db.ChangeTracker.Clear();
                if (await ReplaceAsync(db, sessionId, json, at, cancellationToken) == 0) throw;
            }
        }

        var updatedAt = DateTimeOffset.FromUnixTimeMilliseconds(at);
        return new SessionDataEntry(sessionId, json, updatedAt, updatedAt + Lifetime);
    }

    /// <summary>The session's data, or null when there is none or it has expired (even if not purged yet).</summary>
    public async Task<SessionDataEntry?> GetAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var row = await db.SessionData.AsNoTracking().SingleOrDefaultAsync(d => d.SessionId == sessionId, cancellationToken);
        if (row is null) return null;

        var updatedAt = DateTimeOffset.FromUnixTimeMilliseconds(row.UpdatedAtMs);
        var expiresAt = updatedAt + Lifetime;
        return clock.GetUtcNow() < expiresAt ? new SessionDataEntry(sessionId, row.Json, updatedAt, expiresAt) : null;
    }

    /// <summary>Removes the session's data; true when there was some.</summary>
    public async Task<bool> DeleteAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        return await db.SessionData.Where(d => d.SessionId == sessionId).ExecuteDeleteAsync(cancellationToken) > 0;
    }

    /// <summary>Deletes up to <paramref name="batchSize"/> expired entries in one short statement. Returns how many.</summary>
    public async Task<int> PurgeBatchAsync(int batchSize, CancellationToken cancellationToken = default)
    {
        var cutoff = (clock.GetUtcNow() - Lifetime).ToUnixTimeMilliseconds();
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var expired = db.SessionData.Where(d => d.UpdatedAtMs <= cutoff).OrderBy(d => d.UpdatedAtMs).Take(batchSize).Select(d => d.SessionId);
        return await db.SessionData.Where(d => expired.Contains(d.SessionId)).ExecuteDeleteAsync(cancellationToken);
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
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        return await db.SessionData.LongCountAsync(cancellationToken);
    }

    private static Task<int> ReplaceAsync(NowOnlineDb db, string sessionId, string json, long at, CancellationToken cancellationToken) =>
        db.SessionData.Where(d => d.SessionId == sessionId)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.Json, json).SetProperty(d => d.UpdatedAtMs, at), cancellationToken);
}

/// <summary>A session's stored data (the JSON object's text) and when it expires.</summary>
public sealed record SessionDataEntry(string SessionId, string Json, DateTimeOffset UpdatedAt, DateTimeOffset ExpiresAt);
