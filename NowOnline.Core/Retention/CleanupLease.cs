using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NowOnline.Core.Persistence;

namespace NowOnline.Core.Retention;

/// <summary>
/// Decides whether this node does the cluster's cleanup this round (retention and the session-data purge), so that
/// on several nodes the work is done once, not once per node. On SQLite there is one node: it always may.
/// </summary>
public interface ICleanupLease
{
    /// <summary>True when this node holds the lease now (taking it if nobody does); false when another node holds it
    /// or the database cannot be reached. Never throws for a storage failure: the round is simply skipped.</summary>
    Task<bool> TryHoldAsync(CancellationToken cancellationToken = default);

    /// <summary>Whether this node held the lease at its last <see cref="TryHoldAsync"/>.</summary>
    bool IsHeld { get; }
}

/// <summary>One node, one file: the cleanup always runs here.</summary>
public sealed class SingleNodeCleanupLease : ICleanupLease
{
    public bool IsHeld => true;

    public Task<bool> TryHoldAsync(CancellationToken cancellationToken = default) => Task.FromResult(true);
}

public static class CleanupLeaseRegistration
{
    /// <summary>
    /// Registers the cleanup lease for the storage provider: on PostgreSQL a session-level advisory lock that one node
    /// keeps while it lives (<see cref="PostgreSqlCleanupLease"/>), on SQLite none.
    /// </summary>
    public static IServiceCollection AddNowOnlineCleanupLease(this IServiceCollection services, StorageProvider provider, string connectionString)
    {
        if (provider == StorageProvider.PostgreSql)
            services.AddSingleton<ICleanupLease>(sp => new PostgreSqlCleanupLease(connectionString, sp.GetRequiredService<ILogger<PostgreSqlCleanupLease>>()));
        else services.AddSingleton<ICleanupLease, SingleNodeCleanupLease>();
        return services;
    }
}
