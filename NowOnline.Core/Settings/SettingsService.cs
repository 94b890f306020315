using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NowOnline.Core.Ingestion;
using NowOnline.Core.Persistence;
using NowOnline.Core.Presence;

namespace NowOnline.Core.Settings;

/// <summary>
/// Reads and saves the Online Customers Options. Every save is audited in the same transaction, guarded by a
/// version (optimistic concurrency), and a saved interval is applied to the tracker at once.
/// </summary>
public sealed class SettingsService(IDbContextFactory<NowOnlineDb> databases, PresenceTracker tracker, TimeProvider clock)
{
    public const int MaxChangedByLength = 254;
    private readonly SemaphoreSlim _saving = new(1, 1);
    private volatile VersionedSettings _current = VersionedSettings.Initial;

    public VersionedSettings Current => _current;

    /// <summary>Raised after a save, with the new settings.</summary>
    public event Action<VersionedSettings>? Changed;

    public async Task LoadAsync(CancellationToken cancellationToken = default)
    {
        _current = await ReadAsync(cancellationToken);
        tracker.ChangeInterval(_current.Settings.Interval);
    }

    /// <summary>
    /// Reads the settings again (another node saved them): a newer version is applied and announced as after a save.
    /// Returns the newer settings, or null when nothing changed.
    /// </summary>
    public async Task<VersionedSettings?> ReloadAsync(CancellationToken cancellationToken = default)
    {
        var read = await ReadAsync(cancellationToken);
        if (read.Version <= _current.Version) return null;
        Apply(read);
        Changed?.Invoke(read);
        return read;
    }

    /// <summary>
    /// Saves new settings if nobody saved since <paramref name="expectedVersion"/> was read. On a conflict nothing is
    /// written and the result carries the settings that won (with who saved them and when). Throws
    /// <see cref="StorageUnavailableException"/> when the database cannot be written: nothing is saved or applied then.
    /// </summary>
    public async Task<SettingsSaveResult> SaveAsync(OnlineSettings settings, long expectedVersion, string? changedBy,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var who = Who(changedBy);
        await _saving.WaitAsync(cancellationToken);
        try
        {
            await using var db = await databases.CreateDbContextAsync(cancellationToken);
            var row = await db.Settings.SingleOrDefaultAsync(s => s.Id == 1, cancellationToken);
            var before = row is null ? VersionedSettings.Initial : ToVersioned(row);
            if (before.Version != expectedVersion) return await ConflictAsync(cancellationToken);
            if (before.Settings == settings) return new SettingsSaveResult(SettingsSaveOutcome.Unchanged, before);

            if (row is null)
            {
                row = new SettingsRecord { Id = 1 };
                db.Settings.Add(row);
            }

            var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
            row.OnlineMinutesInterval = settings.OnlineMinutesInterval;
            row.CustomerDataLifetime = settings.CustomerDataLifetime;
            row.Version = expectedVersion + 1;
            row.UpdatedAtMs = now;
            row.UpdatedBy = who;
            db.SettingsAudit.Add(new SettingsAuditRecord
            {
                Version = row.Version,
                ChangedAtMs = now,
                ChangedBy = who,
                OldOnlineMinutesInterval = before.Settings.OnlineMinutesInterval,
                NewOnlineMinutesInterval = settings.OnlineMinutesInterval,
                OldCustomerDataLifetime = before.Settings.CustomerDataLifetime,
                NewCustomerDataLifetime = settings.CustomerDataLifetime,
            });
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateConcurrencyException)
            {
                // Another process won the race (the version changed under us): nothing of ours was written.
                return await ConflictAsync(cancellationToken);
            }
            catch (DbUpdateException ex) when (IsLostInsertRace(ex))
            {
                // Another process or node won the race to insert the first row: a conflict like any other.
                return await ConflictAsync(cancellationToken);
            }
            catch (DbUpdateException ex)
            {
                // Locked, read-only or full: not a lost race, and nothing was saved.
                throw new StorageUnavailableException("The settings could not be saved: the database cannot be written right now.", ex);
            }

            var saved = ToVersioned(row);
            Apply(saved);
            Changed?.Invoke(saved);
            return new SettingsSaveResult(SettingsSaveOutcome.Saved, saved);
        }
        catch (Exception ex) when (ex is SqliteException or NpgsqlException)
        {
            // The transaction could not even begin (locked, read-only, full, or PostgreSQL unreachable): nothing was saved.
            throw new StorageUnavailableException("The settings could not be saved: the database cannot be written right now.", ex);
        }
        finally
        {
            _saving.Release();
        }
    }

    /// <summary>The most recent changes, newest first.</summary>
    public async Task<IReadOnlyList<SettingsChange>> GetHistoryAsync(int take = 10, CancellationToken cancellationToken = default)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var rows = await db.SettingsAudit.AsNoTracking().OrderByDescending(a => a.Id).Take(Math.Clamp(take, 1, 1000))
            .ToListAsync(cancellationToken);
        return rows.Select(a => new SettingsChange(a.Version, DateTimeOffset.FromUnixTimeMilliseconds(a.ChangedAtMs), a.ChangedBy,
            new OnlineSettings(a.OldOnlineMinutesInterval, a.OldCustomerDataLifetime),
            new OnlineSettings(a.NewOnlineMinutesInterval, a.NewCustomerDataLifetime))).ToList();
    }

    /// <summary>
    /// The first row's key (or any other unique key) already taken by a save that committed first: SQLITE_CONSTRAINT on
    /// SQLite, unique_violation (23505) on PostgreSQL. Anything else is a storage failure, not a lost race.
    /// </summary>
    private static bool IsLostInsertRace(DbUpdateException ex) => ex.InnerException is
        SqliteException { SqliteErrorCode: 19 } or PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };

    private async Task<SettingsSaveResult> ConflictAsync(CancellationToken cancellationToken)
    {
        var winner = await ReadAsync(cancellationToken);
        Apply(winner);
        return new SettingsSaveResult(SettingsSaveOutcome.Conflict, winner);
    }

    private void Apply(VersionedSettings settings)
    {
        if (settings.Version < _current.Version) return;
        _current = settings;
        tracker.ChangeInterval(settings.Settings.Interval);
    }

    private async Task<VersionedSettings> ReadAsync(CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var row = await db.Settings.AsNoTracking().SingleOrDefaultAsync(s => s.Id == 1, cancellationToken);
        return row is null ? VersionedSettings.Initial : ToVersioned(row);
    }

    private static string Who(string? changedBy)
    {
        var who = string.IsNullOrWhiteSpace(changedBy) ? "unknown" : changedBy.Trim();
        return who.Length <= MaxChangedByLength ? who : who[..MaxChangedByLength];
    }

    private static VersionedSettings ToVersioned(SettingsRecord row) =>
        new(new OnlineSettings(row.OnlineMinutesInterval, row.CustomerDataLifetime), row.Version,
            row.UpdatedAtMs == 0 ? null : DateTimeOffset.FromUnixTimeMilliseconds(row.UpdatedAtMs), row.UpdatedBy);
}

/// <summary>Settings with the version used for optimistic concurrency.</summary>
public sealed record VersionedSettings(OnlineSettings Settings, long Version, DateTimeOffset? UpdatedAt, string? UpdatedBy)
{
    /// <summary>Nothing saved yet: the defaults, version 0.</summary>
    public static VersionedSettings Initial { get; } = new(OnlineSettings.Default, 0, null, null);
}

public enum SettingsSaveOutcome
{
    Saved,
    Unchanged,
    Conflict,
}

/// <summary>What a save did, and the settings now in force (on a conflict: the other admin's).</summary>
public sealed record SettingsSaveResult(SettingsSaveOutcome Outcome, VersionedSettings Current);

/// <summary>One audited change of the settings.</summary>
public sealed record SettingsChange(long Version, DateTimeOffset ChangedAt, string ChangedBy, OnlineSettings Old, OnlineSettings New);
