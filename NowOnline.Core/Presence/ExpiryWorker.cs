using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using NowOnline.Core.Diagnostics;

namespace NowOnline.Core.Presence;

/// <summary>Ticks the tracker's expiry a few times a second; each tick only looks at sessions that are due.</summary>
public sealed class ExpiryWorker(PresenceTracker tracker, TimeProvider clock, IOptions<PresenceOptions> options) : BackgroundService
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan ForgetEvery = TimeSpan.FromMinutes(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var keepFor = TimeSpan.FromMinutes(options.Value.SessionRetentionMinutes);
        var lastForget = clock.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            NowOnlineMetrics.SessionsExpired(tracker.ExpireDue());
            if (clock.GetUtcNow() - lastForget >= ForgetEvery)
            {
                tracker.ForgetStale(keepFor);
                lastForget = clock.GetUtcNow();
            }

            try
            {
                await Task.Delay(Tick, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
