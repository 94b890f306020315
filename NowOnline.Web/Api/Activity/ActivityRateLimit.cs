using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using NowOnline.Web.Security;

namespace NowOnline.Web.Api.Activity;

/// <summary>
/// Per-key fixed window on POST /api/activity (<c>Ingestion:RateLimitPermits</c> per <c>Ingestion:RateLimitWindowSeconds</c>).
/// Runs after authorization, so only valid keys get a partition; a refused request stores nothing.
/// </summary>
public static class ActivityRateLimit
{
    public const string Policy = "activity-per-key";

    public static IServiceCollection AddActivityRateLimit(this IServiceCollection services) => services.AddRateLimiter(options =>
    {
        options.AddPolicy(Policy, http =>
        {
            var limits = http.RequestServices.GetRequiredService<IOptions<IngestionOptions>>().Value;
            var key = http.User.FindFirst(ApiKeyAuthenticationHandler.KeyIdClaim)?.Value ?? "";
            return RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = limits.RateLimitPermits,
                Window = TimeSpan.FromSeconds(limits.RateLimitWindowSeconds),
                QueueLimit = 0,
                AutoReplenishment = true,
            });
        });
        options.OnRejected = RejectAsync;
    });

    private static async ValueTask RejectAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var http = context.HttpContext;
        var limits = http.RequestServices.GetRequiredService<IOptions<IngestionOptions>>().Value;
        var seconds = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
            ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
            : limits.RateLimitWindowSeconds;
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails =
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Too many requests",
                Detail = $"This storefront key may send {limits.RateLimitPermits} requests per {limits.RateLimitWindowSeconds} s; " +
                         $"nothing was stored. Retry after {seconds} s, or send events in batches.",
            },
        });
    }
}
