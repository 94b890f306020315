using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using NowOnline.Core.Persistence;

namespace NowOnline.Web.Api.Health;

/// <summary>
/// Healthy when the database has every migration of this build (asked until it has; a migration is never undone).
/// Not asked while start-up runs them.
/// </summary>
public sealed class MigrationsHealthCheck(IDbContextFactory<NowOnlineDb> databases, StartupGate gate) : IHealthCheck
{
    private volatile bool _applied;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!_applied)
        {
            if (!gate.IsOpen) return HealthCheckResult.Unhealthy("Start-up applies the database migrations.");
            await using var db = await databases.CreateDbContextAsync(cancellationToken);
            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).Count();
            if (pending > 0) return HealthCheckResult.Unhealthy($"{pending} database migrations are not applied yet.");
            _applied = true;
        }

        return HealthCheckResult.Healthy("The database schema is current.");
    }
}
