using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using NowOnline.Core.Presence;
using NowOnline.Core.SessionData;
using NowOnline.Web.Security;

namespace NowOnline.Web.Api.Sessions;

/// <summary>
/// <c>/api/sessions/{sessionId}</c>: whether a storefront session is still online (so the storefront can ask the
/// shopper to sign in again), and the shopper's unsaved data, which expires Customer Data Lifetime after its last write.
/// </summary>
public static class SessionsApi
{
    public const int MaxDataDepth = 32;

    public static IEndpointRouteBuilder MapSessionsApi(this IEndpointRouteBuilder app)
    {
        var sessions = app.MapGroup("/api/sessions").RequireAuthorization(ApiKeyDefaults.StorefrontPolicy).WithTags("Sessions");
        sessions.MapGet("/{sessionId}", GetSession)
            .WithName("GetSession")
            .WithSummary("Whether the session is online, as Customer or Visitor, and when it expires; 404 if unknown.");
        sessions.MapPut("/{sessionId}/data", PutData)
            .WithName("PutSessionData")
            .WithSummary("Stores the shopper's unsaved data (a JSON object) for the session; it expires Customer Data Lifetime after this write.")
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        sessions.MapGet("/{sessionId}/data", GetData)
            .WithName("GetSessionData")
            .WithSummary("The shopper's unsaved data for the session; 404 when there is none or it has expired.");
        sessions.MapDelete("/{sessionId}/data", DeleteData)
            .WithName("DeleteSessionData")
            .WithSummary("Forgets the shopper's unsaved data for the session.");
        return app;
    }

    internal static Results<Ok<SessionStatusReply>, ValidationProblem, NotFound<ProblemDetailsReply>> GetSession(
        string sessionId, PresenceTracker tracker, CancellationToken cancellationToken)
    {
        if (SessionIdProblem(sessionId) is { } problem) return problem;
        var status = tracker.GetSession(sessionId);
        if (status is null) return NotFound(sessionId, "The service knows no session with this id (never seen, or forgotten long ago).");
        return TypedResults.Ok(new SessionStatusReply(status.Online, status.Type.ToString(), status.ExpiresAt));
    }

    internal static async Task<Results<Ok<SessionDataSavedReply>, ValidationProblem, ProblemHttpResult>> PutData(
        string sessionId, HttpContext http, SessionDataStore store, IOptions<SessionDataOptions> options, CancellationToken cancellationToken)
    {
        if (SessionIdProblem(sessionId) is { } invalidId) return invalidId;
        var body = await JsonBody.ReadAsync(http, options.Value.MaxBytes, MaxDataDepth, cancellationToken);
        switch (body.Error)
        {
            case ValidationProblem invalid: return invalid;
            case ProblemHttpResult problem: return problem;
        }

        using var document = body.Document!;
        if (document.RootElement.ValueKind != JsonValueKind.Object)
            return JsonBody.Invalid("body", $"The session data must be a JSON object (got {document.RootElement.ValueKind.ToString().ToLowerInvariant()}).");

        var entry = await store.PutAsync(sessionId, document.RootElement.GetRawText(), cancellationToken);
        return TypedResults.Ok(new SessionDataSavedReply(entry.SessionId, entry.UpdatedAt, entry.ExpiresAt));
    }

    internal static async Task<Results<Ok<SessionDataReply>, ValidationProblem, NotFound<ProblemDetailsReply>>> GetData(
        string sessionId, SessionDataStore store, CancellationToken cancellationToken)
    {
        if (SessionIdProblem(sessionId) is { } problem) return problem;
        var entry = await store.GetAsync(sessionId, cancellationToken);
        if (entry is null) return NotFound(sessionId, "No unsaved data for this session: none was stored, or it expired after the Customer Data Lifetime.");
        using var document = JsonDocument.Parse(entry.Json);
        return TypedResults.Ok(new SessionDataReply(entry.SessionId, document.RootElement.Clone(), entry.UpdatedAt, entry.ExpiresAt));
    }

    internal static async Task<Results<NoContent, ValidationProblem, NotFound<ProblemDetailsReply>>> DeleteData(
        string sessionId, SessionDataStore store, CancellationToken cancellationToken)
    {
        if (SessionIdProblem(sessionId) is { } problem) return problem;
        return await store.DeleteAsync(sessionId, cancellationToken)
            ? TypedResults.NoContent()
            : NotFound(sessionId, "No unsaved data for this session.");
    }

    /// <summary>The same rule as the sessionId of an event: 1–128 characters, no spaces or control characters.</summary>
    private static ValidationProblem? SessionIdProblem(string sessionId)
    {
        string? message = null;
        if (string.IsNullOrWhiteSpace(sessionId)) message = "The sessionId is required.";
        else if (sessionId.Length > Activity.ActivityEventParser.MaxIdLength)
            message = $"The sessionId is {sessionId.Length} characters long; at most {Activity.ActivityEventParser.MaxIdLength} are allowed.";
        else if (sessionId.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || char.IsSurrogate(c)))
            message = "The sessionId must not contain spaces, control characters or broken unicode.";
        return message is null
            ? null
            : TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["sessionId"] = [message] }, title: "The session id is not valid.");
    }

    private static NotFound<ProblemDetailsReply> NotFound(string sessionId, string detail) =>
        TypedResults.NotFound(new ProblemDetailsReply("https://tools.ietf.org/html/rfc9110#section-15.5.5", "Not found", 404, detail, sessionId));
}

public sealed record SessionStatusReply(bool Online, string Type, DateTimeOffset ExpiresAt);

public sealed record SessionDataSavedReply(string SessionId, DateTimeOffset UpdatedAt, DateTimeOffset ExpiresAt);

public sealed record SessionDataReply(string SessionId, JsonElement Data, DateTimeOffset UpdatedAt, DateTimeOffset ExpiresAt);

/// <summary>An RFC 7807 body for a 404 that names the missing session.</summary>
public sealed record ProblemDetailsReply(string Type, string Title, int Status, string Detail, string SessionId);
