using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using NowOnline.Core.Persistence;

namespace NowOnline.Web.Api.Health;

/// <summary>
/// With <c>Storage:Provider=PostgreSql</c>: healthy when the shared database answers <c>SELECT 1</c> within a few
/// seconds, through the app's own context factory (same connection string and pool as every other query).
/// </summary>
public sealed class PostgreSqlHealthCheck(IDbContextFactory<PostgreSqlNowOnlineDb> databases) : IHealthCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Timeout);
        try
        {
            await using var db = await databases.CreateDbContextAsync(deadline.Token);
            db.Database.SetCommandTimeout(Timeout);
            await db.Database.ExecuteSqlRawAsync("SELECT 1", deadline.Token);
            return HealthCheckResult.Healthy("PostgreSQL answers.");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"PostgreSQL did not answer within {Timeout.TotalSeconds} seconds.");
        }
        catch (Exception failure) when (failure is System.Data.Common.DbException or InvalidOperationException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy($"PostgreSQL is not reachable: {failure.GetType().Name}: {failure.Message}");
        }
    }
}
