using NowOnline.Core.Diagnostics;
using NowOnline.Core.Presence;

namespace NowOnline.Web.Observability;

/// <summary>
/// Reports this app's online list as <c>nowonline_online_sessions</c> while the app runs. Registered after OpenTelemetry,
/// so its meter provider listens before the counters are announced.
/// </summary>
public sealed class OnlineSessionsGauge(PresenceTracker tracker) : IHostedService
{
    private IDisposable? _registration;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _registration = NowOnlineMetrics.ObserveOnlineSessions(tracker);
        NowOnlineMetrics.Announce();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _registration?.Dispose();
        return Task.CompletedTask;
    }
}
