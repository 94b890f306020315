using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NowOnline.Core.Ingestion;
using NowOnline.Core.Presence;

namespace NowOnline.Core.Retention;

/// <summary>
/// The nightly visitor cleanup, made continuous: deletes sessions idle longer than the session retention (never an
/// online one) with their visitor carts, and logged events older than the eventId retention that the checkpoint
/// covers. Each step is one small transaction of the single writer, so ingestion never waits long behind it.
/// On several nodes only the holder of the <see cref="ICleanupLease"/> runs its rounds.
/// </summary>
public sealed partial class RetentionWorker(
    IActivityIngestor ingestor,
    PresenceTracker tracker,
    TimeProvider clock,
    IOptions<PresenceOptions> presence,
    IOptions<RetentionOptions> options,
    ICleanupLease lease,
    ILogger<RetentionWorker> logger) : BackgroundService
{
    private int _rounds;

    /// <summary>Scheduled rounds this node has run since it started (not counting direct <see cref="RunOnceAsync"/> calls).</summary>
    public int Rounds => Volatile.Read(ref _rounds);

    /// <summary>Deletes everything retention allows now, batch by batch. Returns the totals.</summary>
    public async Task<RetentionResult> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        var size = options.Value.BatchSize;
        int sessions = 0, events = 0;
        while (true)
        {
            var now = clock.GetUtcNow();
            var keepSessions = TimeSpan.FromMinutes(presence.Value.SessionRetentionMinutes);
            if (tracker.Interval > keepSessions) keepSessions = tracker.Interval;
            var batch = new RetentionBatch(size, now - keepSessions, now.AddMinutes(-presence.Value.EventIdRetentionMinutes));
            var deleted = await ingestor.DeleteExpiredAsync(batch, cancellationToken);
            sessions += deleted.Sessions;
            events += deleted.Events;
            if (deleted.Sessions < size && deleted.Events < size) break;
        }

        if (sessions + events > 0) LogDeleted(logger, sessions, events);
        return new RetentionResult(sessions, events);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.IntervalSeconds), clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    if (!await lease.TryHoldAsync(stoppingToken)) continue; // another node cleans up this round
                    await RunOnceAsync(stoppingToken);
                    Interlocked.Increment(ref _rounds);
                }
                catch (StorageUnavailableException ex)
                {
                    LogFailed(logger, ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention deleted {Sessions} old sessions and {Events} old logged events")]
    private static partial void LogDeleted(ILogger logger, int sessions, int events);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retention could not run; it will try again at the next interval")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
