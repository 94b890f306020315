using NowOnline.Core;
using NowOnline.Web.Api.Activity;
using NowOnline.Web.Api.Health;
using NowOnline.Web.Api.OpenApi;
using NowOnline.Web.Api.Online;
using NowOnline.Web.Api.Sessions;
using NowOnline.Web.Api.Settings;
using NowOnline.Web.Components;
using NowOnline.Web.Hubs;
using NowOnline.Web.Observability;
using NowOnline.Web.Operations;
using NowOnline.Web.Proxy;
using NowOnline.Web.Security;

namespace NowOnline.Web;

/// <summary>The application, built in one place so that Program.cs and the tests start the same thing.</summary>
public static class NowOnlineApp
{
    /// <summary>
    /// Builds the app and does the start-up work (migrations, online list, first admin) before it listens; the caller
    /// runs it, and it is ready once started. For tests and tools; <c>Program.cs</c> uses <see cref="Compose"/>.
    /// </summary>
    public static async Task<WebApplication> BuildAsync(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var app = Compose(args, configure);
        await InitializeAsync(app);
        return app;
    }

    /// <summary>
    /// The app with every service and endpoint, before the database is touched. Run as is, it listens at once and does
    /// the start-up work after (live at once, ready once done: see <see cref="StartupWork"/>).
    /// </summary>
    public static WebApplication Compose(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = CreateBuilder(args);
        builder.WebHost.UseStaticWebAssets();
        configure?.Invoke(builder);

        builder.Services.AddNowOnlineCore(builder.Configuration);
        builder.AddNowOnlineWeb();
        builder.Services.AddTrustedProxies();
        builder.Services.AddStartupGate();

        var app = builder.Build();
        DataDirectory.LogLocation(app);
        app.UseTrustedProxies();
        app.UseStartupGate();
        app.UseNowOnlineWeb();
        app.MapActivityApi();
        app.MapOnlineApi();
        app.MapOnlineExport();
        app.MapSettingsApi();
        app.MapSessionsApi();
        app.MapHealthApi();
        app.MapApiDocument();
        app.MapMetrics();
        app.MapAccountEndpoints();
        app.MapPresenceHub();
        app.MapGet("/", () => Results.Redirect("/customers/online")).ExcludeFromDescription();
        app.MapRazorComponents<App>()
            // .NET 10 adds its own "frame-ancestors 'self'" header; ours (SecurityHeaders) already says 'none'.
            .AddInteractiveServerRenderMode(options => options.ContentSecurityFrameAncestorsPolicy = null);

        return app;
    }

    /// <summary>
    /// Migrates the database, restores the online list and creates the first admin now, before the app listens; the
    /// background services then start inside the host's start, and the app is open when that returns.
    /// </summary>
    public static Task InitializeAsync(WebApplication app) => app.Services.GetRequiredService<StartupWork>().PrepareAsync();

    /// <summary>
    /// The builder with the app's configuration sources (appsettings.json next to the binary, environment, args); the
    /// content root is the binaries' folder, and the data directory is anchored there (<see cref="DataDirectory"/>).
    /// </summary>
    public static WebApplicationBuilder CreateBuilder(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ApplicationName = typeof(NowOnlineApp).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        DataDirectory.Anchor(builder.Configuration, builder.Environment.ContentRootPath);
        return builder;
    }
}
