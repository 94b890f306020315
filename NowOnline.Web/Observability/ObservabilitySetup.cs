using Microsoft.AspNetCore.SignalR;
using NowOnline.Web.Api.Health;
using NowOnline.Core.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace NowOnline.Web.Observability;

/// <summary>
/// Metrics and traces: the service's own meter (<see cref="NowOnlineMetrics"/>) with ASP.NET Core, Kestrel, SignalR and
/// runtime meters, scraped at <c>/metrics</c> when <c>Metrics:Enabled</c>, and exported with traces over OTLP when
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set. Every refused API request is logged once with its reason.
/// </summary>
public static class ObservabilitySetup
{
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    // The framework meters a dashboard of this service needs: requests (http.server.request.duration), Kestrel's
    // connections, SignalR's connections, and unhandled exceptions (recorded only when one happens). Not
    // AddAspNetCoreInstrumentation(): on .NET it listens to every ASP.NET Core meter, and routing, authentication,
    // authorization, rate limiting and the memory pool each record one or more measurements per request
    // (bench/performance-notes.md, "Metrics cost (issue 15)").
    private static readonly string[] FrameworkMeters =
    [
        "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.Http.Connections",
        "Microsoft.AspNetCore.Diagnostics",
    ];

    public static WebApplicationBuilder AddObservability(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<MetricsOptions>().BindConfiguration(MetricsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.Configure<HubOptions>(hub => hub.AddFilter(new HubConnectionCounter()));
        services.AddRejectedRequestLog();

        var metrics = Metrics(builder);
        var otlp = !string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointVariable]);
        if (!metrics.Enabled!.Value && !otlp)
        {
            services.AddHostedService<OnlineSessionsGauge>();
            return builder;
        }

        var telemetry = services.AddOpenTelemetry().ConfigureResource(resource => resource.AddService("NowOnline"));
        telemetry.WithMetrics(meters =>
        {
            meters.AddMeter(NowOnlineMetrics.MeterName).AddMeter(FrameworkMeters).AddRuntimeInstrumentation();
            if (metrics.Enabled.Value) meters.AddPrometheusExporter();
        });
        if (otlp)
        {
            telemetry.WithTracing(traces => traces.AddSource(NowOnlineMetrics.SourceName).AddAspNetCoreInstrumentation());
            telemetry.UseOtlpExporter();
        }

        services.AddHostedService<OnlineSessionsGauge>();
        // Runs the ready checks every 10 s for nowonline_ready: only when something reads metrics.
        ReadinessGauge.Register(services);
        if (metrics is { Enabled: true, Port: { } port }) ListenAlsoOn(builder, port);
        return builder;
    }

    /// <summary>With <c>Metrics:Port</c>, that port answers <c>/metrics</c> and nothing else.</summary>
    public static IApplicationBuilder UseObservability(this WebApplication app)
    {
        var metrics = Metrics(app);
        if (metrics is { Enabled: true, Port: { } port })
            app.Use((http, next) =>
            {
                if (http.Connection.LocalPort != port || http.Request.Path.Equals(MetricsOptions.Path, StringComparison.OrdinalIgnoreCase))
                    return next(http);
                http.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            });
        app.UseRejectedRequestLog();
        return app;
    }

    /// <summary>
    /// <c>/metrics</c> in Prometheus text when <c>Metrics:Enabled</c>. Open like a health probe (no personal data in
    /// it); keep it off the public port with <c>Metrics:Port</c> and a firewall.
    /// </summary>
    public static IEndpointRouteBuilder MapMetrics(this WebApplication app)
    {
        var metrics = Metrics(app);
        if (metrics.Enabled != true) return app;
        var scrape = app.MapPrometheusScrapingEndpoint(MetricsOptions.Path).AllowAnonymous().AvailableWhileStarting();
        if (metrics.Port is { } port) scrape.RequireHost($"*:{port}");
        return app;
    }

    private static MetricsOptions Metrics(WebApplicationBuilder builder) => Resolve(builder.Configuration, builder.Environment);

    private static MetricsOptions Metrics(WebApplication app) => Resolve(app.Configuration, app.Environment);

    private static MetricsOptions Resolve(IConfiguration configuration, IHostEnvironment environment)
    {
        var options = configuration.GetSection(MetricsOptions.Section).Get<MetricsOptions>() ?? new MetricsOptions();
        options.Enabled ??= environment.IsDevelopment();
        return options;
    }

    // Adds the metrics port to the addresses the app already listens on (--urls, ASPNETCORE_URLS or the default).
    private static void ListenAlsoOn(WebApplicationBuilder builder, int port)
    {
        var urls = builder.Configuration[WebHostDefaults.ServerUrlsKey];
        var ports = builder.Configuration["http_ports"];
        var addresses = !string.IsNullOrWhiteSpace(urls) ? urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : !string.IsNullOrWhiteSpace(ports) ? ports.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(p => $"http://*:{p}").ToArray()
            : ["http://localhost:5000"];
        builder.WebHost.UseUrls([.. addresses, $"http://*:{port}"]);
    }
}
