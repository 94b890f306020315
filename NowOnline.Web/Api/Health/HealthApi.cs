using Microsoft.Extensions.Diagnostics.HealthChecks;
using NowOnline.Core.Ingestion;
using NowOnline.Core.Persistence;

namespace NowOnline.Web.Api.Health;

public static class HealthApi
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/healthz").WithName("Health");
        return app;
    }
}

/// <summary>Healthy when the SQLite file answers and the writer's last commit did not fail.</summary>
public sealed class StorageHealthCheck(SqliteDatabase database, ActivityIngestor ingestor) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (ingestor.StorageFaulted) return HealthCheckResult.Unhealthy("The last write to the activity store failed.");
        try
        {
            await using var connection = await database.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT COUNT(*) FROM Checkpoints";
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex)
        {
            return HealthCheckResult.Unhealthy("The activity store cannot be read.", ex);
        }
    }
}
