using NowOnline.Core.Ingestion;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using NowOnline.Core.Settings;
using NowOnline.Web.Security;

namespace NowOnline.Web.Api.Settings;

/// <summary>
/// <c>/api/settings</c>: the Online Customers Options. The storefront and admins read them; only admins change them,
/// with the same validation as the settings form and optimistic concurrency on the version (ETag / If-Match).
/// </summary>
public static class SettingsApi
{
    public static IEndpointRouteBuilder MapSettingsApi(this IEndpointRouteBuilder app)
    {
        // Policies per endpoint, not on the group: requirements add up, and a group-wide Reader policy would also run the
        // key scheme on the admin-only endpoints (a storefront key would then get 403 there instead of 401).
        var settings = app.MapGroup("/api").WithTags("Settings");
        settings.MapGet("/settings", GetSettings)
            .RequireAuthorization(ApiKeyDefaults.ReaderPolicy)
            .WithName("GetSettings")
            .WithSummary("The Online Minutes Interval and the Customer Data Lifetime, in minutes, with their version (also the ETag).");
        settings.MapPut("/settings", PutSettings)
            .RequireAuthorization(SecurityPolicies.Admin)
            .WithName("PutSettings")
            .WithSummary("Changes the settings (admins). Send the version you read in If-Match or as \"version\"; 409 if someone saved since.")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        settings.MapGet("/settings/history", GetHistory)
            .RequireAuthorization(SecurityPolicies.Admin)
            .WithName("GetSettingsHistory")
            .WithSummary("The most recent changes of the settings, newest first: who, when, old and new values (admins).");
        return app;
    }

    internal static Ok<SettingsReply> GetSettings(HttpContext http, SettingsService settings)
    {
        var current = settings.Current;
        http.Response.Headers.ETag = SettingsRequest.ETag(current.Version);
        return TypedResults.Ok(SettingsReply.From(current));
    }

    internal static async Task<Results<Ok<SettingsReply>, ValidationProblem, ProblemHttpResult>> PutSettings(
        HttpContext http, SettingsService settings, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync(http, SettingsRequest.MaxBodyBytes, SettingsRequest.MaxDepth, cancellationToken);
        switch (body.Error)
        {
            case ValidationProblem invalid: return invalid;
            case ProblemHttpResult problem: return problem;
        }

        using var document = body.Document!;
        var request = SettingsRequest.Parse(document.RootElement, http.Request.Headers.IfMatch.ToString());
        if (request.Errors.Count > 0)
            return TypedResults.ValidationProblem(request.Errors, title: "The settings were not saved.");
        if (request.Version is not { } version)
            return TypedResults.Problem(
                "Send the version you read (the ETag of GET /api/settings) in the If-Match header or as \"version\" in the body.",
                statusCode: StatusCodes.Status428PreconditionRequired, title: "Version required");

        var validation = SettingsValidator.Validate(request.Draft);
        if (!validation.IsValid)
            return TypedResults.ValidationProblem(validation.Errors.ToDictionary(), title: "The settings were not saved.");

        SettingsSaveResult result;
        try
        {
            result = await settings.SaveAsync(validation.Settings!, version, AdminName(http.User), cancellationToken);
        }
        catch (StorageUnavailableException)
        {
            return StorageUnavailableReply.For(http, "settings store", "nothing was saved");
        }

        http.Response.Headers.ETag = SettingsRequest.ETag(result.Current.Version);
        if (result.Outcome == SettingsSaveOutcome.Conflict)
            return TypedResults.Problem(SettingsConflict.Message(result.Current), statusCode: StatusCodes.Status409Conflict,
                title: "The settings were changed by someone else",
                extensions: new Dictionary<string, object?>
                {
                    ["currentVersion"] = result.Current.Version,
                    ["changedBy"] = result.Current.UpdatedBy,
                    ["changedAt"] = result.Current.UpdatedAt,
                });
        return TypedResults.Ok(SettingsReply.From(result.Current));
    }

    internal static async Task<Results<Ok<IReadOnlyList<SettingsChangeReply>>, ValidationProblem>> GetHistory(
        SettingsService settings, string? take, CancellationToken cancellationToken)
    {
        var count = 20;
        if (take is not null && (!int.TryParse(take, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out count)
                                 || count is < 1 or > 100))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["take"] = ["The take must be a whole number from 1 to 100."] });

        var history = await settings.GetHistoryAsync(count, cancellationToken);
        return TypedResults.Ok<IReadOnlyList<SettingsChangeReply>>(history.Select(SettingsChangeReply.From).ToList());
    }

    /// <summary>The name recorded in the audit: the signed-in admin's email, else their name.</summary>
    public static string? AdminName(ClaimsPrincipal user) =>
        user.FindFirstValue(ClaimTypes.Email) ?? user.Identity?.Name;
}

/// <summary>The body of <c>PUT /api/settings</c> as documented; null or absent means the default.</summary>
public sealed record SettingsBody(int? OnlineMinutesInterval, int? CustomerDataLifetime, long? Version);

public sealed record SettingsReply(int OnlineMinutesInterval, int CustomerDataLifetime, long Version)
{
    public static SettingsReply From(VersionedSettings current) =>
        new(current.Settings.OnlineMinutesInterval, current.Settings.CustomerDataLifetime, current.Version);
}

public sealed record SettingsValuesReply(int OnlineMinutesInterval, int CustomerDataLifetime)
{
    public static SettingsValuesReply From(OnlineSettings settings) => new(settings.OnlineMinutesInterval, settings.CustomerDataLifetime);
}

public sealed record SettingsChangeReply(long Version, DateTimeOffset ChangedAt, string ChangedBy, SettingsValuesReply Old, SettingsValuesReply New)
{
    public static SettingsChangeReply From(SettingsChange change) =>
        new(change.Version, change.ChangedAt, change.ChangedBy, SettingsValuesReply.From(change.Old), SettingsValuesReply.From(change.New));
}
