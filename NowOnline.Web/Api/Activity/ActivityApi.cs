using System.Text.Json;
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

    /// <summary>The activity API's wording of the body-reading replies (415, 413, empty or malformed JSON).</summary>
    private static readonly JsonBodyWording Wording = new("Send the events as application/json.", "; send smaller batches",
        "The body is empty: send one event object or an array of them.", "The activity was not accepted; nothing was stored.");

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
        var limits = options.Value;
        var body = await JsonBody.ReadAsync(http, limits.MaxBodyBytes, MaxJsonDepth, Wording, cancellationToken);
        switch (body.Error)
        {
            case ValidationProblem invalid: return invalid;
            case ProblemHttpResult problem: return problem;
        }

        using (var document = body.Document!)
        {
            var errors = new ValidationErrors();
            var events = Parse(document.RootElement, clock.GetUtcNow(), limits, errors);
            if (errors.Any) return TypedResults.ValidationProblem(errors.ToDictionary(), title: Wording.InvalidTitle);

            try
            {
                var result = await ingestor.SubmitAsync(events, cancellationToken);
                return TypedResults.Accepted((string?)null, new AcceptedReply(result.Accepted, result.Duplicates, result.Ignored));
            }
            catch (StorageUnavailableException)
            {
                return StorageUnavailableReply.For(http, "activity store", "nothing was stored");
            }
        }
    }

    private static List<ActivityEvent> Parse(JsonElement root, DateTimeOffset now, IngestionOptions limits, ValidationErrors errors)
    {
        var parser = new ActivityEventParser(now, limits, errors);
        var events = new List<ActivityEvent>();
        if (root.ValueKind == JsonValueKind.Array)
        {
            var count = root.GetArrayLength();
            if (count == 0) errors.Add("body", "The batch is empty: send at least one event.");
            else if (count > limits.MaxBatchSize) errors.Add("body", $"The batch holds {count} events; at most {limits.MaxBatchSize} are allowed.");
            else
            {
                var index = 0;
                foreach (var item in root.EnumerateArray())
                    if (parser.Parse(item, $"[{index++}]") is { } parsed) events.Add(parsed);
            }
        }
        else if (root.ValueKind == JsonValueKind.Object)
        {
            if (parser.Parse(root, "") is { } parsed) events.Add(parsed);
        }
        else errors.Add("body", "The body must be one event object or an array of them.");

        return events;
    }
}

/// <summary>Reply to an accepted post: stored events, repeated event ids, and events dropped as bots.</summary>
public sealed record AcceptedReply(int Accepted, int Duplicates, int Ignored);
