using Microsoft.AspNetCore.Mvc;
using NowOnline.Web.Observability;

namespace NowOnline.Web.Api.Health;

/// <summary>
/// While the app starts, every endpoint that needs the state (the API, the hub, the admin pages, sign-in) answers
/// 503 with Retry-After: problem details for the API and the hub, a small page that reloads itself for a browser.
/// Requests without an endpoint (static files, unknown paths) and endpoints marked
/// <see cref="AvailableWhileStartingAttribute"/> pass; the ready and overall probes get a 503 that names the pending step. Once the gate is open this is one volatile read per request.
/// </summary>
public static class StartupGateMiddleware
{
    public const int RetryAfterSeconds = 5;

    public static IApplicationBuilder UseStartupGate(this IApplicationBuilder app)
    {
        var gate = app.ApplicationServices.GetRequiredService<StartupGate>();
        return app.Use((http, next) =>
        {
            if (gate.IsOpen) return next(http);
            var endpoint = http.GetEndpoint();
            if (endpoint is null || endpoint.Metadata.GetMetadata<AvailableWhileStartingAttribute>() is not null) return next(http);
            if (endpoint.Metadata.GetMetadata<AnsweredByStartupGateAttribute>() is { } probe) return NotReadyAsync(http, gate.Pending, probe.Json);
            return RefuseAsync(http, gate.Pending);
        });
    }

    private static async Task RefuseAsync(HttpContext http, string pending)
    {
        http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        http.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        http.Response.Headers.CacheControl = "no-store";
        if (WantsPage(http.Request))
        {
            http.Response.ContentType = "text/html; charset=utf-8";
            http.Response.Headers.ContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'";
            http.Response.Headers.XContentTypeOptions = "nosniff";
            await http.Response.WriteAsync(StartingPage);
            return;
        }

        var problems = http.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "NowOnline is starting.",
                Detail = $"Pending: {pending}. Try again in {RetryAfterSeconds} seconds.",
            },
        });
        RejectedRequestLog.Refused(http);
    }

    // The shape of HealthApi's ready body, with the one check that matters while starting.
    private static Task NotReadyAsync(HttpContext http, string pending, bool json)
    {
        http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        http.Response.Headers.CacheControl = "no-store, no-cache";
        if (!json)
        {
            http.Response.ContentType = "text/plain";
            return http.Response.WriteAsync("Unhealthy");
        }

        http.Response.ContentType = "application/json; charset=utf-8";
        return http.Response.WriteAsync(System.Text.Json.JsonSerializer.Serialize(new
        {
            status = "Unhealthy",
            checks = new { startup = new { status = "Unhealthy", description = $"Starting: {pending}." } },
        }));
    }

    private static bool WantsPage(HttpRequest request) =>
        HttpMethods.IsGet(request.Method)
        && !request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
        && !request.Path.StartsWithSegments("/hubs", StringComparison.OrdinalIgnoreCase)
        && request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase);

    private static readonly string StartingPage = $"""
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="{RetryAfterSeconds}">
        <title>NowOnline is starting</title></head>
        <body><h1>NowOnline is starting</h1>
        <p data-testid="starting">The online list is being restored. This page reloads by itself.</p></body></html>
        """;
}
