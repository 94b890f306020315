using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using NowOnline.Core.Ingestion;
using NowOnline.Core.Presence;
using NowOnline.Web.Security;

namespace NowOnline.Web.Api.Activity;

/// <summary><c>POST /api/activity</c>: the storefront reports what shoppers do.</summary>
public static class ActivityApi
{
    public const int MaxJsonDepth = 16;

    public static IEndpointRouteBuilder MapActivityApi(this IEndpointRouteBuilder app)
    {
        var activity = app.MapGroup("/api").RequireAuthorization(ApiKeyDefaults.StorefrontPolicy).WithTags("Activity");
        activity.MapPost("/activity", PostActivity)
            .RequireRateLimiting(ActivityRateLimit.Policy)
            .WithName("PostActivity")
            .WithSummary("Stores one event or an all-or-nothing batch, then applies it to the online list.")
            .WithDescription("The body is one event object or an array of them (at most Ingestion:MaxBatchSize). A batch is applied " +
                             "all-or-nothing: one bad item rejects the batch with a message per bad field, and nothing is stored.")
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    internal static async Task<Results<Accepted<AcceptedReply>, ValidationProblem, ProblemHttpResult>> PostActivity(
        HttpContext http, IActivityIngestor ingestor, IOptions<IngestionOptions> options, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var body = await ActivityRequestBody.ReadAsync(http, options.Value, clock.GetUtcNow(), cancellationToken);
        switch (body.Error)
        {
            case ValidationProblem invalid: return invalid;
            case ProblemHttpResult problem: return problem;
        }

        try
        {
            var result = await ingestor.SubmitAsync(body.Events, cancellationToken);
            return TypedResults.Accepted((string?)null, new AcceptedReply(result.Accepted, result.Duplicates, result.Ignored));
        }
        catch (StorageUnavailableException)
        {
            return StorageUnavailableReply.For(http, "activity store", "nothing was stored");
        }
    }
}

/// <summary>Reply to an accepted post: stored events, repeated event ids, and events dropped as bots.</summary>
public sealed record AcceptedReply(int Accepted, int Duplicates, int Ignored);
