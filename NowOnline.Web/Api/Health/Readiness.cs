using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using NowOnline.Core.Persistence;

namespace NowOnline.Web.Api.Health;

/// <summary>Set once the start-up work is done: the database migrated and the online list rebuilt from it.</summary>
public sealed class Readiness
{
    private volatile bool _restored;

    public bool Restored => _restored;

    public void MarkRestored() => _restored = true;
}

/// <summary>Healthy once the online list has been restored from the database at start.</summary>
public sealed class RestoredHealthCheck(Readiness readiness) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(readiness.Restored
            ? HealthCheckResult.Healthy("The online list is restored.")
            : HealthCheckResult.Unhealthy("The online list is not restored yet."));
}

/// <summary>Healthy when the database has every migration of this build (asked until it has; a migration is never undone).</summary>
public sealed class MigrationsHealthCheck(IDbContextFactory<NowOnlineDb> databases) : IHealthCheck
{
    private volatile bool _applied;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!_applied)
        {
            await using var db = await databases.CreateDbContextAsync(cancellationToken);
            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).Count();
            if (pending > 0) return HealthCheckResult.Unhealthy($"{pending} database migrations are not applied yet.");
            _applied = true;
        }

        return HealthCheckResult.Healthy("The database schema is current.");
    }
}
