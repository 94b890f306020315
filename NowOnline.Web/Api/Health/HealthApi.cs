using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using NowOnline.Core.Ingestion;

namespace NowOnline.Web.Api.Health;

/// <summary>
/// Probes for people and orchestrators: <c>/healthz</c> (every check), <c>/healthz/live</c> (the process answers;
/// no check, so a slow disk never gets the process restarted) and <c>/healthz/ready</c> (migrations applied, online
/// list restored, storage writable). Unhealthy answers 503.
/// </summary>
public static class HealthApi
{
    public const string ReadyTag = "ready";

    public static IServiceCollection AddHealthProbes(this IServiceCollection services)
    {
        services.AddSingleton<Readiness>();
        services.AddHealthChecks()
            .AddCheck<StorageHealthCheck>("storage", tags: [ReadyTag])
            .AddCheck<MigrationsHealthCheck>("migrations", tags: [ReadyTag])
            .AddCheck<RestoredHealthCheck>("online-list", tags: [ReadyTag]);
        return services;
    }

    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/healthz").WithName("Health");
        app.MapHealthChecks("/healthz/live", new HealthCheckOptions { Predicate = _ => false }).WithName("Liveness");
        app.MapHealthChecks("/healthz/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag) }).WithName("Readiness");
        return app;
    }
}

/// <summary>
/// Healthy when the activity store can be written: the single writer commits a small probe row (or wrote less than a
/// second ago). While storage is faulted the writer keeps probing by itself, so this turns healthy again on its own.
/// </summary>
public sealed class StorageHealthCheck(IActivityIngestor ingestor) : IHealthCheck
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(10);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (ingestor.StorageFaulted) return HealthCheckResult.Unhealthy("The activity store cannot be written; the service retries every second.");
        try
        {
            var problem = await ingestor.ProbeStorageAsync(cancellationToken).WaitAsync(ProbeTimeout, cancellationToken);
            return problem is null
                ? HealthCheckResult.Healthy("The activity store can be written.")
                : HealthCheckResult.Unhealthy($"The activity store cannot be written: {problem}");
        }
        catch (TimeoutException)
        {
            return HealthCheckResult.Unhealthy($"The activity writer did not answer within {ProbeTimeout.TotalSeconds} seconds.");
        }
    }
}
