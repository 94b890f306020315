using Microsoft.Extensions.DependencyInjection;
using NowOnline.Core.Ingestion;
using NowOnline.Core.Persistence;

namespace NowOnline.Core.Cluster;

/// <summary>Several nodes on one PostgreSQL (ADR-007): the shared event log's appender, tailer and checkpoint writer.</summary>
public static class ClusterRegistration
{
    /// <summary>
    /// Registers ingestion through the cluster's log. Hosted services stop in reverse order: the appender drains first,
    /// then the checkpoint writer leaves the tables current, then the tailer stops.
    /// </summary>
    public static IServiceCollection AddNowOnlineCluster(this IServiceCollection services, string connectionString)
    {
        var database = new ClusterDatabase(connectionString);
        services.AddSingleton(database);
        services.AddSingleton<ClusterStart>();
        services.AddSingleton<LogTailer>();
        services.AddSingleton<CheckpointLeader>();
        services.AddSingleton<ClusterIngestor>();
        services.AddSingleton<IActivityIngestor>(sp => sp.GetRequiredService<ClusterIngestor>());
        services.AddSingleton(new SessionTimeline((sessionId, limit, cancellationToken) =>
            ClusterTimeline.RecentAsync(database, sessionId, limit, cancellationToken)));
        services.AddHostedService(sp => sp.GetRequiredService<LogTailer>());
        services.AddHostedService(sp => sp.GetRequiredService<CheckpointLeader>());
        services.AddHostedService(sp => sp.GetRequiredService<ClusterIngestor>());
        return services;
    }
}
