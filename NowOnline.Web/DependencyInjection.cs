using NowOnline.Web.Api.Activity;
using NowOnline.Web.Api.Health;
using NowOnline.Web.Api.OpenApi;
using NowOnline.Web.Hubs;
using NowOnline.Web.Observability;
using NowOnline.Web.Operations;
using NowOnline.Web.Security;
using NowOnline.Web.Simulator;
using Microsoft.AspNetCore.DataProtection;
using MudBlazor.Services;
using NowOnline.Core.Persistence;

namespace NowOnline.Web;

public static class DependencyInjection
{
    /// <summary>Registers the admin UI, the HTTP API, authentication and the demo simulator.</summary>
    public static WebApplicationBuilder AddNowOnlineWeb(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddHostedService<NativeHeap>();
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices();
        services.AddProblemDetails();

        services.AddOptions<IngestionOptions>().BindConfiguration(IngestionOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ApiKeyValidator>();
        services.AddNowOnlineSecurity();
        if (StorageOptions.ReadProvider(builder.Configuration) == StorageProvider.PostgreSql)
            // One key ring for every node, so a cookie issued by one node is read by the others.
            services.AddDataProtection().SetApplicationName("NowOnline").PersistKeysToDbContext<PostgreSqlNowOnlineDb>();
        else
            // One node: the key ring lives in the data directory beside the database (not in a home folder, which a
            // service user under systemd does not have), so sign-ins survive a restart.
            services.AddDataProtection().SetApplicationName("NowOnline").PersistKeysToFileSystem(new DirectoryInfo(
                Path.Combine(builder.Configuration[$"{StorageOptions.Section}:{nameof(StorageOptions.DataDirectory)}"] ?? StorageOptions.DefaultDataDirectory, "keys")));
        services.AddActivityRateLimit();

        services.AddPresenceHub();
        services.AddHealthProbes();
        services.AddApiDocument();
        builder.AddObservability();

        services.AddOptions<SimulatorOptions>().BindConfiguration(SimulatorOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddHostedService<StorefrontSimulator>();
        return builder;
    }

    public static WebApplication UseNowOnlineWeb(this WebApplication app)
    {
        app.UseObservability();
        app.UseSecurityHeaders();
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler();
            app.UseHsts();
        }

        app.UseStatusCodePages();
        app.UseStaticFiles();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.UseAntiforgery();
        return app;
    }
}
