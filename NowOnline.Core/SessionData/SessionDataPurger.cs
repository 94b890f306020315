using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NowOnline.Core.Retention;

namespace NowOnline.Core.SessionData;

/// <summary>
/// Deletes expired session data in batches every <c>SessionData:PurgeIntervalSeconds</c>. On several nodes only the
/// holder of the <see cref="ICleanupLease"/> purges, so each round's work is done once for the cluster.
/// </summary>
public sealed class SessionDataPurger(
    SessionDataStore store, ICleanupLease lease, TimeProvider clock, IOptions<SessionDataOptions> options, ILogger<SessionDataPurger> logger)
    : BackgroundService
{
    private long _purged;

    /// <summary>Entries this node has purged since it started.</summary>
    public long Purged => Interlocked.Read(ref _purged);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var every = TimeSpan.FromSeconds(options.Value.PurgeIntervalSeconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await lease.TryHoldAsync(stoppingToken))
                {
                    var purged = await store.PurgeExpiredAsync(options.Value.PurgeBatchSize, stoppingToken);
                    Interlocked.Add(ref _purged, purged);
                    if (purged > 0) logger.LogInformation("Purged {Count} expired session data entries.", purged);
                }

                await Task.Delay(every, clock, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is Microsoft.Data.Sqlite.SqliteException or NpgsqlException or IOException)
            {
                // Expired data is already invisible to readers; try again on the next round.
                logger.LogWarning(ex, "Purging expired session data failed; retrying in {Seconds} s.", every.TotalSeconds);
                try
                {
                    await Task.Delay(every, clock, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
