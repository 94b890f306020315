using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using NowOnline.Core.Ingestion;
using NowOnline.Core.Persistence;

namespace NowOnline.Web.Api.Health;

/// <summary>
/// Probes for people and orchestrators: <c>/healthz</c> (every check), <c>/healthz/live</c> (the process answers;
/// no check, so a slow disk never gets the process restarted) and <c>/healthz/ready</c> (start-up done: migrations
/// applied and online list restored; storage writable; on PostgreSQL, the database reachable). Unhealthy answers 503;
/// the ready probe's body names each check and what it is waiting for. All three answer while the app starts.
/// </summary>
public static class HealthApi
{
    public const string ReadyTag = "ready";

    public static IServiceCollection AddHealthProbes(this IServiceCollection services)
    {
        services.AddSingleton<StartupGate>();
        services.AddSingleton<DeferredHostedServices>();
        services.AddSingleton<StartupWork>();
        services.AddHealthChecks()
            .AddCheck<StartupHealthCheck>("startup", tags: [ReadyTag])
            .AddCheck<MigrationsHealthCheck>("migrations", tags: [ReadyTag])
            .AddCheck<StorageHealthCheck>("storage", tags: [ReadyTag]);
        services.AddOptions<HealthCheckServiceOptions>().Configure<IOptions<StorageOptions>>((options, storage) =>
        {
            if (storage.Value.Provider == StorageProvider.PostgreSql)
                options.Registrations.Add(new HealthCheckRegistration("postgresql",
                    sp => ActivatorUtilities.CreateInstance<PostgreSqlHealthCheck>(sp), failureStatus: null, tags: [ReadyTag]));
        });
        return services;
    }

    /// <summary>
    /// Holds the app's own background services back until start-up is done and runs start-up after Kestrel listens.
    /// Call after every other registration.
    /// </summary>
    public static IServiceCollection AddStartupGate(this IServiceCollection services)
    {
        DeferredHostedServices.DeferNowOnlineServices(services);
        services.AddHostedService(sp => sp.GetRequiredService<StartupWork>());
        return services;
    }

    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/healthz").WithName("Health").WithMetadata(new AnsweredByStartupGateAttribute(json: false));
        app.MapHealthChecks("/healthz/live", new HealthCheckOptions { Predicate = _ => false }).WithName("Liveness").AvailableWhileStarting();
        app.MapHealthChecks("/healthz/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag), ResponseWriter = WriteChecksAsync })
            .WithName("Readiness").WithMetadata(new AnsweredByStartupGateAttribute(json: true));
        return app;
    }

    // {"status":"Unhealthy","checks":{"startup":{"status":"Unhealthy","description":"Starting: ..."},...}}
    private static Task WriteChecksAsync(HttpContext http, HealthReport report)
    {
        http.Response.ContentType = "application/json; charset=utf-8";
        var body = new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(entry => entry.Key, entry => new { status = entry.Value.Status.ToString(), description = entry.Value.Description }),
        };
        return http.Response.WriteAsync(JsonSerializer.Serialize(body));
    }
}

/// <summary>Healthy once start-up is done (database migrated, online list restored, background services running).</summary>
public sealed class StartupHealthCheck(StartupGate gate) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(gate.IsOpen
            ? HealthCheckResult.Healthy("Started: the online list is restored.")
            : HealthCheckResult.Unhealthy($"Starting: {gate.Pending}."));
}

/// <summary>
/// Healthy when the activity store can be written: the single writer commits a small probe row (or wrote less than a
/// second ago). While storage is faulted the writer keeps probing by itself, so this turns healthy again on its own.
/// </summary>
public sealed class StorageHealthCheck(IActivityIngestor ingestor, StartupGate gate) : IHealthCheck
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(10);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!gate.IsOpen) return HealthCheckResult.Unhealthy("Not probed before start-up is done (the writer starts then).");
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
