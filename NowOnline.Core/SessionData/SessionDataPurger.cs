using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace NowOnline.Core.SessionData;

/// <summary>Deletes expired session data in batches every <c>SessionData:PurgeIntervalSeconds</c>.</summary>
public sealed class SessionDataPurger(
    SessionDataStore store, TimeProvider clock, IOptions<SessionDataOptions> options, ILogger<SessionDataPurger> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var every = TimeSpan.FromSeconds(options.Value.PurgeIntervalSeconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var purged = await store.PurgeExpiredAsync(options.Value.PurgeBatchSize, stoppingToken);
                if (purged > 0) logger.LogInformation("Purged {Count} expired session data entries.", purged);
                await Task.Delay(every, clock, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is Microsoft.Data.Sqlite.SqliteException or IOException)
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
