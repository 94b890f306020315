using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NowOnline.Core.Persistence;
using NowOnline.Core.Presence;
using NowOnline.Core.Retention;

namespace NowOnline.Core.Trend;

/// <summary>
/// Once a minute, on the minute, stores one <see cref="TrendPoint"/>: the tracker's online counts and the events applied
/// since the previous point, and drops points older than <see cref="KeepFor"/>. At start it loads the last hour, so the
/// chart survives a restart.
/// </summary>
/// <remarks>
/// The events of a minute are the growth of <see cref="PresenceTracker.AppliedSequence"/>, the log position of the
/// last applied event: it counts exactly the events stored and applied (duplicates and bots are never logged), needs
/// no hook on the ingestion hot path, and is per app (the static meter is shared by every app in a test process).
/// On several nodes every node has the same list and the same log position, so each samples the same point for its own
/// chart, and only the holder of the cleanup lease stores it: one row per minute for the cluster.
/// </remarks>
public sealed partial class TrendSampler(
    PresenceTracker tracker, TrendHistory history, IDbContextFactory<NowOnlineDb> contexts, TimeProvider clock,
    ILogger<TrendSampler> logger, ICleanupLease? lease = null) : BackgroundService
{
    public static readonly TimeSpan KeepFor = TimeSpan.FromDays(1);
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    private long _lastSequence = -1;
    private bool _loaded;

    /// <summary>Loads the points of the last hour into <see cref="TrendHistory"/> and starts counting events from now.</summary>
    public async Task LoadAsync(CancellationToken cancellationToken = default)
    {
        var from = (clock.GetUtcNow() - TrendHistory.Window).ToUnixTimeMilliseconds();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        history.Load(await db.Set<TrendPoint>().AsNoTracking().Where(p => p.AtMs > from).ToListAsync(cancellationToken));
        _lastSequence = tracker.AppliedSequence;
        _loaded = true;
    }

    // Hosted services may start before the database is migrated (the readiness probe's test does so): until the
    // history loads, each minute tries again, and a minute that cannot be stored is a gap, not a reason to stop.
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            if (!_loaded) await TryAsync(LoadAsync, stoppingToken);
            var now = clock.GetUtcNow();
            await Task.Delay(MinuteOf(now) + Minute - now, clock, stoppingToken);
            await TryAsync(SampleAsync, stoppingToken);
        }
    }

    private async Task TryAsync(Func<CancellationToken, Task> step, CancellationToken stoppingToken)
    {
        try
        {
            await step(stoppingToken);
        }
        catch (Exception e) when (e is DbUpdateException or System.Data.Common.DbException or InvalidOperationException
                                  or IOException)
        {
            LogStepFailed(logger, e);
        }
    }

    /// <summary>Takes the point of the minute that ends now (the clock rounded down to the minute) and stores it.</summary>
    public async Task<TrendPoint> SampleAsync(CancellationToken cancellationToken = default)
    {
        var at = MinuteOf(clock.GetUtcNow());
        var counts = tracker.Counters;
        var sequence = tracker.AppliedSequence;
        var events = _lastSequence < 0 ? 0 : (int)Math.Clamp(sequence - _lastSequence, 0, int.MaxValue);
        _lastSequence = sequence;
        var point = new TrendPoint(at.ToUnixTimeMilliseconds(), counts.Online, counts.Customers, counts.Visitors, events);
        if (lease is not null && !await lease.TryHoldAsync(cancellationToken))
        {
            history.Add(point); // another node stores the cluster's point of this minute
            return point;
        }

        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            // Two samples in one minute (a restart on the minute) keep the later counts and the sum of the events.
            var existing = await db.Set<TrendPoint>().AsNoTracking().FirstOrDefaultAsync(p => p.AtMs == point.AtMs, cancellationToken);
            if (existing is not null)
            {
                point = point with { Events = point.Events + existing.Events };
                db.Update(point);
            }
            else db.Add(point);

            await db.SaveChangesAsync(cancellationToken);
            var before = (at - KeepFor).ToUnixTimeMilliseconds();
            await db.Set<TrendPoint>().Where(p => p.AtMs < before).ExecuteDeleteAsync(cancellationToken);
        }

        history.Add(point);
        return point;
    }

    private static DateTimeOffset MinuteOf(DateTimeOffset time) =>
        new(time.UtcTicks - time.UtcTicks % Minute.Ticks, TimeSpan.Zero);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The Now Online trend could not be read or stored this minute.")]
    private static partial void LogStepFailed(ILogger logger, Exception exception);
}
