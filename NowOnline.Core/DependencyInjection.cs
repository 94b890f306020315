using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using NowOnline.Core.Cluster;
using NowOnline.Core.Ingestion;
using NowOnline.Core.Persistence;
using NowOnline.Core.Persistence.Migrations.Legacy;
using NowOnline.Core.Presence;
using NowOnline.Core.Retention;
using NowOnline.Core.SessionData;
using NowOnline.Core.Settings;
using NowOnline.Core.Trend;

namespace NowOnline.Core;

public static class DependencyInjection
{
    public const string ConnectionStringName = "NowOnline";

    /// <summary>Registers the presence tracker, the durable ingestion pipeline, settings and persistence (SQLite, or PostgreSQL for several nodes).</summary>
    public static IServiceCollection AddNowOnlineCore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PresenceOptions>().BindConfiguration(PresenceOptions.Section).ValidateDataAnnotations().ValidateOnStart();

        var connectionString = configuration.GetConnectionString(ConnectionStringName);
        if (string.IsNullOrWhiteSpace(connectionString))
            throw new InvalidOperationException($"Set ConnectionStrings:{ConnectionStringName}, for example \"Data Source=nowonline.db\" (a file in the data directory, Storage:DataDirectory).");

        var provider = StorageOptions.ReadProvider(configuration);
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        var storage = configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<PresenceTracker>();
        services.AddSingleton<SettingsService>();
        if (provider == StorageProvider.PostgreSql)
        {
            // Every node appends to and applies one event log in PostgreSQL; nothing is kept on the node's disk (ADR-007).
            services.AddPostgreSqlStorage(connectionString);
            services.AddNowOnlineCluster(connectionString);
        }
        else
        {
            var database = new SqliteDatabase(SqliteDatabase.InDataDirectory(connectionString, storage.DataDirectory), storage.MinimumFreeMegabytes);
            services.AddSingleton(database);
            services.AddDbContextFactory<NowOnlineDb>(options => options.UseNowOnlineSqlite(database.ConnectionString));
            services.AddSingleton<SessionTimeline>();
            services.AddSingleton<ActivityIngestor>();
            services.AddSingleton<IActivityIngestor>(sp => sp.GetRequiredService<ActivityIngestor>());
            services.AddHostedService(sp => sp.GetRequiredService<ActivityIngestor>());
        }

        services.AddHostedService<ExpiryWorker>();
        services.AddNowOnlineCleanupLease(provider, connectionString);
        services.AddOptions<RetentionOptions>().BindConfiguration(RetentionOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<RetentionWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<RetentionWorker>());
        services.AddNowOnlineSessionData();
        services.AddNowOnlineTrend();
        return services;
    }

    /// <summary>Migrates the database, loads settings and rebuilds the online list. Call before the app serves requests.</summary>
    public static async Task InitializeNowOnlineAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        var presence = services.GetRequiredService<IOptions<PresenceOptions>>().Value;
        if (services.GetRequiredService<IOptions<StorageOptions>>().Value.Provider == StorageProvider.PostgreSql)
        {
            var shared = services.GetRequiredService<IDbContextFactory<PostgreSqlNowOnlineDb>>();
            await using (var db = await shared.CreateDbContextAsync(cancellationToken))
                await PostgreSqlStorage.MigrateAsync(db, cancellationToken);
            await services.GetRequiredService<SettingsService>().LoadAsync(cancellationToken);
            // The last checkpoint, then the log after it: the tailer goes on from where this stops.
            services.GetRequiredService<ClusterStart>().CatchUp = await ClusterCatchUp.LoadAsync(services.GetRequiredService<ClusterDatabase>(),
                services.GetRequiredService<PresenceTracker>(), presence, cancellationToken);
            return;
        }

        var database = services.GetRequiredService<SqliteDatabase>();
        await using (var db = new NowOnlineDb(new DbContextOptionsBuilder<NowOnlineDb>().UseNowOnlineSqlite(database.ConnectionString).Options))
        {
            await LegacyHistory.BringForwardAsync(db, cancellationToken);
            await db.Database.MigrateAsync(cancellationToken);
        }

        await services.GetRequiredService<SettingsService>().LoadAsync(cancellationToken);

        await using var connection = await database.OpenAsync(cancellationToken);
        await PresenceStateLoader.LoadAsync(connection, services.GetRequiredService<PresenceTracker>(), presence, cancellationToken);
    }
}
