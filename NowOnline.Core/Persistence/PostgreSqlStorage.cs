using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using NowOnline.Core.Settings;

namespace NowOnline.Core.Persistence;

/// <summary>Applies the PostgreSQL migrations when several nodes may start at once.</summary>
public static class PostgreSqlStorage
{
    /// <summary>Arbitrary but fixed: the advisory lock every NowOnline node takes around its migrations.</summary>
    public const long MigrationLockKey = 0x4E4F_574F_4E4C_494E; // "NOWONLIN"

    /// <summary>
    /// The PostgreSQL context (also as <see cref="NowOnlineDb"/> for the services that only know the schema) and the
    /// feed that carries settings changes between nodes.
    /// </summary>
    public static IServiceCollection AddPostgreSqlStorage(this IServiceCollection services, string connectionString)
    {
        services.AddDbContextFactory<PostgreSqlNowOnlineDb>(options => options.UseNpgsql(connectionString));
        services.TryAddScoped(sp => sp.GetRequiredService<IDbContextFactory<PostgreSqlNowOnlineDb>>().CreateDbContext());
        services.AddSingleton<IDbContextFactory<NowOnlineDb>, PostgreSqlContextFactory>();
        services.AddHostedService(sp => new PostgreSqlSettingsFeed(connectionString, sp.GetRequiredService<SettingsService>(),
            sp.GetRequiredService<ILogger<PostgreSqlSettingsFeed>>()));
        return services;
    }

    /// <summary>
    /// Migrates under a session-level advisory lock: the first node migrates, the others wait for it and then find
    /// nothing left to apply. The lock is released with the connection, also if the process dies.
    /// </summary>
    public static async Task MigrateAsync(PostgreSqlNowOnlineDb db, CancellationToken cancellationToken = default)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_lock({MigrationLockKey})", cancellationToken);
            try
            {
                await db.Database.MigrateAsync(cancellationToken);
            }
            finally
            {
                await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_unlock({MigrationLockKey})", CancellationToken.None);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}

/// <summary>What <c>dotnet ef</c> builds the PostgreSQL context with; generating migrations needs no server.</summary>
internal sealed class PostgreSqlNowOnlineDbDesignTimeFactory : IDesignTimeDbContextFactory<PostgreSqlNowOnlineDb>
{
    public PostgreSqlNowOnlineDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgreSqlNowOnlineDb>().UseNpgsql("Host=localhost;Database=nowonline").Options);
}

/// <summary>Hands out the PostgreSQL context wherever the app asks for the schema's context type.</summary>
internal sealed class PostgreSqlContextFactory(IDbContextFactory<PostgreSqlNowOnlineDb> inner) : IDbContextFactory<NowOnlineDb>
{
    public NowOnlineDb CreateDbContext() => inner.CreateDbContext();

    public async Task<NowOnlineDb> CreateDbContextAsync(CancellationToken cancellationToken = default) =>
        await inner.CreateDbContextAsync(cancellationToken);
}
