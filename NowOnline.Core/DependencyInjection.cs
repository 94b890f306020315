using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using NowOnline.Core.Ingestion;
using NowOnline.Core.Persistence;
using NowOnline.Core.Persistence.Migrations.Legacy;
using NowOnline.Core.Presence;
using NowOnline.Core.Retention;
using NowOnline.Core.SessionData;
using NowOnline.Core.Settings;

namespace NowOnline.Core;

public static class DependencyInjection
{
    public const string ConnectionStringName = "NowOnline";

    /// <summary>Registers the presence tracker, the durable ingestion pipeline, settings and SQLite persistence.</summary>
    public static IServiceCollection AddNowOnlineCore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PresenceOptions>().BindConfiguration(PresenceOptions.Section).ValidateDataAnnotations().ValidateOnStart();

        var connectionString = configuration.GetConnectionString(ConnectionStringName);
        if (string.IsNullOrWhiteSpace(connectionString))
            throw new InvalidOperationException($"Set ConnectionStrings:{ConnectionStringName}, for example \"Data Source=data/nowonline.db\".");

        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        var storage = configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions();
        var database = new SqliteDatabase(connectionString, storage.MinimumFreeMegabytes);
        services.AddSingleton(database);
        services.AddDbContextFactory<NowOnlineDb>(options => options.UseNowOnlineSqlite(database.ConnectionString));

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<PresenceTracker>();
        services.AddSingleton<SettingsService>();
        services.AddSingleton<SessionTimeline>();
        services.AddSingleton<ActivityIngestor>();
        services.AddHostedService(sp => sp.GetRequiredService<ActivityIngestor>());
        services.AddHostedService<ExpiryWorker>();
        services.AddOptions<RetentionOptions>().BindConfiguration(RetentionOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<RetentionWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<RetentionWorker>());
        services.AddNowOnlineSessionData();
        return services;
    }

    /// <summary>Migrates the database, loads settings and rebuilds the online list. Call before the app serves requests.</summary>
    public static async Task InitializeNowOnlineAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        var databases = services.GetRequiredService<IDbContextFactory<NowOnlineDb>>();
        await using (var db = await databases.CreateDbContextAsync(cancellationToken))
        {
            await LegacyHistory.BringForwardAsync(db, cancellationToken);
            await db.Database.MigrateAsync(cancellationToken);
        }

        await services.GetRequiredService<SettingsService>().LoadAsync(cancellationToken);

        var database = services.GetRequiredService<SqliteDatabase>();
        await using var connection = await database.OpenAsync(cancellationToken);
        await PresenceStateLoader.LoadAsync(connection, services.GetRequiredService<PresenceTracker>(),
            services.GetRequiredService<IOptions<PresenceOptions>>().Value, cancellationToken);
    }
}
