using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using NowOnline.Core.Diagnostics;

namespace NowOnline.Web.Observability;

/// <summary>
/// Every refused <c>/api</c> request is logged once, at Information, with its status and reason: the problem's title
/// and the names of the bad fields, never their values, the raw path (it can hold a session id) or the body, so no
/// shopper's email, name or session id reaches the log. The client's address is named (behind a trusted proxy, the
/// forwarded one: <see cref="Proxy.ProxySetup"/>), so a storefront with a wrong key or a flood can be traced. Refused <c>POST /api/activity</c> requests are also counted
/// in <c>nowonline_events_rejected_total</c> by status code.
/// </summary>
public static partial class RejectedRequestLog
{
    private const int MaxFieldsLogged = 10;
    private static readonly object ReasonKey = new();

    public static IServiceCollection AddRejectedRequestLog(this IServiceCollection services) =>
        services.Configure<ProblemDetailsOptions>(options =>
        {
            var previous = options.CustomizeProblemDetails;
            options.CustomizeProblemDetails = context =>
            {
                previous?.Invoke(context);
                context.HttpContext.Items[ReasonKey] = Reason(context.ProblemDetails);
            };
        });

    public static IApplicationBuilder UseRejectedRequestLog(this IApplicationBuilder app)
    {
        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RejectedRequestLog).FullName!);
        return app.Use(async (http, next) =>
        {
            if (!http.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase))
            {
                await next(http);
                return;
            }

            try
            {
                await next(http);
            }
            finally
            {
                var status = http.Response.StatusCode;
                if (status >= StatusCodes.Status400BadRequest) Record(http, status, logger);
            }
        });
    }

    /// <summary>Logs (and counts) a refusal written before this log's middleware runs (the start-up gate).</summary>
    public static void Refused(HttpContext http) =>
        Record(http, http.Response.StatusCode, http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RejectedRequestLog).FullName!));

    private static void Record(HttpContext http, int status, ILogger logger)
    {
        if (HttpMethods.IsPost(http.Request.Method) && http.Request.Path.Equals("/api/activity", StringComparison.OrdinalIgnoreCase))
            NowOnlineMetrics.RequestRejected(status);
        var route = (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "(no endpoint)";
        var reason = http.Items[ReasonKey] as string ?? Fallback(status);
        LogRejected(logger, http.Request.Method, route, http.Connection.RemoteIpAddress?.ToString() ?? "(unknown)", status, reason);
    }

    private static string Reason(ProblemDetails problem)
    {
        var reason = problem.Title ?? Fallback(problem.Status ?? 0);
        if (problem is HttpValidationProblemDetails { Errors.Count: > 0 } invalid)
        {
            var fields = invalid.Errors.Keys.Take(MaxFieldsLogged).Select(Shorten);
            var more = invalid.Errors.Count > MaxFieldsLogged ? $" and {invalid.Errors.Count - MaxFieldsLogged} more" : "";
            reason += $" Bad fields: {string.Join(", ", fields)}{more}.";
        }

        return reason;
    }

    private static string Shorten(string field) => field.Length <= 64 ? field : field[..64] + "…";

    private static string Fallback(int status) => status switch
    {
        StatusCodes.Status401Unauthorized => "No valid storefront key and no admin sign-in.",
        StatusCodes.Status403Forbidden => "Not allowed for this caller.",
        StatusCodes.Status404NotFound => "Not found.",
        StatusCodes.Status405MethodNotAllowed => "Method not allowed.",
        StatusCodes.Status413PayloadTooLarge => "Body too large.",
        StatusCodes.Status415UnsupportedMediaType => "Not JSON.",
        StatusCodes.Status429TooManyRequests => "Rate limited.",
        StatusCodes.Status503ServiceUnavailable => "Storage unavailable.",
        >= 500 => "Server error.",
        _ => "Refused.",
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Refused {Method} {Route}: {StatusCode} {Reason} (from {Client})")]
    private static partial void LogRejected(ILogger logger, string method, string route, string client, int statusCode, string reason);
}
