using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using NowOnline.Core.Ingestion;
using NowOnline.Core.Persistence;
using NowOnline.Core.Presence;

namespace NowOnline.Core.Settings;

/// <summary>Reads and saves the Online Customers Options; a saved interval is applied to the tracker at once.</summary>
public sealed class SettingsService(IDbContextFactory<NowOnlineDb> databases, PresenceTracker tracker, TimeProvider clock)
{
    private volatile VersionedSettings _current = new(OnlineSettings.Default, 0, null, null);

    public VersionedSettings Current => _current;

    /// <summary>Raised after a save, with the new settings.</summary>
    public event Action<VersionedSettings>? Changed;

    public async Task LoadAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var row = await db.Settings.AsNoTracking().SingleOrDefaultAsync(s => s.Id == 1, cancellationToken);
        _current = row is null ? new VersionedSettings(OnlineSettings.Default, 0, null, null) : ToVersioned(row);
        tracker.ChangeInterval(_current.Settings.Interval);
    }

    /// <summary>
    /// Saves new settings if nobody saved since <paramref name="expectedVersion"/> was read.
    /// Returns the saved settings, or null when another save came first. Throws <see cref="StorageUnavailableException"/>
    /// when the database cannot be written (nothing is saved or applied then).
    /// </summary>
    public async Task<VersionedSettings?> SaveAsync(OnlineSettings settings, long expectedVersion, string? changedBy,
        CancellationToken cancellationToken = default)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var row = await db.Settings.SingleOrDefaultAsync(s => s.Id == 1, cancellationToken);
        if ((row?.Version ?? 0) != expectedVersion) return null;
        if (row is null)
        {
            row = new SettingsRecord { Id = 1 };
            db.Settings.Add(row);
        }

        row.OnlineMinutesInterval = settings.OnlineMinutesInterval;
        row.CustomerDataLifetime = settings.CustomerDataLifetime;
        row.Version = expectedVersion + 1;
        row.UpdatedAtMs = clock.GetUtcNow().ToUnixTimeMilliseconds();
        row.UpdatedBy = changedBy;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Another save won the race (the version changed under us).
            return null;
        }
        catch (DbUpdateException ex) when (ex.InnerException is SqliteException { SqliteErrorCode: 19 })
        {
            // Another save won the race to insert the first row (SQLITE_CONSTRAINT).
            return null;
        }
        catch (DbUpdateException ex)
        {
            // Locked, read-only or full: not a lost race, and nothing was saved.
            throw new StorageUnavailableException("The settings could not be saved: the database cannot be written right now.", ex);
        }

        var saved = ToVersioned(row);
        _current = saved;
        tracker.ChangeInterval(saved.Settings.Interval);
        Changed?.Invoke(saved);
        return saved;
    }

    private static VersionedSettings ToVersioned(SettingsRecord row) =>
        new(new OnlineSettings(row.OnlineMinutesInterval, row.CustomerDataLifetime), row.Version,
            row.UpdatedAtMs == 0 ? null : DateTimeOffset.FromUnixTimeMilliseconds(row.UpdatedAtMs), row.UpdatedBy);
}

/// <summary>Settings with the version used for optimistic concurrency.</summary>
public sealed record VersionedSettings(OnlineSettings Settings, long Version, DateTimeOffset? UpdatedAt, string? UpdatedBy);
