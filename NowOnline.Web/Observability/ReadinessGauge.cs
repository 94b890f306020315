using System.Diagnostics.Metrics;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using NowOnline.Core.Diagnostics;
using NowOnline.Web.Api.Health;

namespace NowOnline.Web.Observability;

/// <summary>
/// <c>nowonline_ready</c>: 1 while the checks of <c>/healthz/ready</c> pass, 0 while they do not (starting, storage
/// locked, read-only or full, PostgreSQL unreachable), so an alert can fire on the app's own series. The framework's
/// health check publisher runs those checks every <see cref="Period"/>; the gauge reports the last outcome (0 until
/// the first). Like <c>nowonline_online_sessions</c>, the instrument is the process's: it reports the app that runs here.
/// </summary>
public sealed class ReadinessGauge : IHealthCheckPublisher, IDisposable
{
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(10);
    private static readonly Meter Meter = new(NowOnlineMetrics.MeterName);
    private static readonly List<ReadinessGauge> Apps = [];
    private int _ready = Unknown;
    private const int Unknown = -1;

    static ReadinessGauge() => Meter.CreateObservableGauge("nowonline.ready", Observe, "{ready}",
        "1 while the checks of /healthz/ready pass, else 0.");

    public ReadinessGauge()
    {
        lock (Apps) Apps.Add(this);
    }

    /// <summary>Registers the gauge as a health check publisher of the ready checks.</summary>
    public static IServiceCollection Register(IServiceCollection services)
    {
        services.AddSingleton<IHealthCheckPublisher, ReadinessGauge>();
        return services.Configure<HealthCheckPublisherOptions>(options =>
        {
            options.Predicate = check => check.Tags.Contains(HealthApi.ReadyTag);
            options.Delay = TimeSpan.FromSeconds(1);
            options.Period = Period;
        });
    }

    public Task PublishAsync(HealthReport report, CancellationToken cancellationToken)
    {
        Volatile.Write(ref _ready, report.Status == HealthStatus.Healthy ? 1 : 0);
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        lock (Apps) Apps.Remove(this);
    }

    // An app whose checks have not run yet (just starting, or one whose start failed before its publisher ran) counts
    // only when no app here has an outcome: then the answer is "not ready".
    private static IEnumerable<Measurement<int>> Observe()
    {
        lock (Apps)
        {
            if (Apps.Count == 0) return [];
            var known = Apps.Select(app => Volatile.Read(ref app._ready)).Where(ready => ready != Unknown).ToList();
            return [new Measurement<int>(known.Count == 0 ? 0 : known.Min())];
        }
    }
}
