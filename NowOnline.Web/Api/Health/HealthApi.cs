using Microsoft.Extensions.Diagnostics.HealthChecks;
using NowOnline.Core.Ingestion;

namespace NowOnline.Web.Api.Health;

public static class HealthApi
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/healthz").WithName("Health");
        return app;
    }
}

/// <summary>
/// Healthy when the activity store can be written: the single writer commits a small probe row (or wrote less than a
/// second ago). While storage is faulted the writer keeps probing by itself, so this turns healthy again on its own.
/// </summary>
public sealed class StorageHealthCheck(ActivityIngestor ingestor) : IHealthCheck
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
