using Microsoft.AspNetCore.Http.HttpResults;
using NowOnline.Core.Settings;
using NowOnline.Web.Security;

namespace NowOnline.Web.Api.Settings;

/// <summary><c>/api/settings</c>: the Online Customers Options, which the storefront reads too.</summary>
public static class SettingsApi
{
    public static IEndpointRouteBuilder MapSettingsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/settings", GetSettings)
            .RequireAuthorization(ApiKeyDefaults.ReaderPolicy)
            .WithName("GetSettings")
            .WithSummary("The Online Minutes Interval and the Customer Data Lifetime, in minutes.")
            .WithTags("Settings");
        return app;
    }

    internal static Ok<SettingsReply> GetSettings(SettingsService settings) =>
        TypedResults.Ok(SettingsReply.From(settings.Current.Settings));
}

public sealed record SettingsReply(int OnlineMinutesInterval, int CustomerDataLifetime)
{
    public static SettingsReply From(OnlineSettings settings) => new(settings.OnlineMinutesInterval, settings.CustomerDataLifetime);
}
