using Microsoft.AspNetCore.Http.HttpResults;
using NowOnline.Core.Presence;
using NowOnline.Web.Security;

namespace NowOnline.Web.Api.Online;

/// <summary><c>GET /api/online</c>: one filtered, sorted page of the online list.</summary>
public static class OnlineApi
{
    public static IEndpointRouteBuilder MapOnlineApi(this IEndpointRouteBuilder app)
    {
        var online = app.MapGroup("/api").RequireAuthorization(ApiKeyDefaults.ReaderPolicy).WithTags("Online");
        online.MapGet("/online", GetOnline)
            .WithName("GetOnline")
            .WithSummary("Lists who is online now: filter, sort and page run on the server.");
        return app;
    }

    internal static Results<Ok<OnlineListReply>, ValidationProblem> GetOnline(HttpRequest request, PresenceTracker tracker)
    {
        var (query, errors) = OnlineQueryParser.Parse(request.Query, OnlineQueryParser.ApiDefaultTake);
        if (errors.Any) return TypedResults.ValidationProblem(errors.ToDictionary(), title: "The query is not valid.");
        var page = tracker.Query(query);
        return TypedResults.Ok(new OnlineListReply(page.Total, page.Items.Select(OnlineRowReply.From).ToList()));
    }
}

public sealed record OnlineListReply(int Total, IReadOnlyList<OnlineRowReply> Items);

/// <summary>One row of the online list as JSON; <see cref="Key"/> (<c>c:{id}</c> or <c>v:{sessionId}</c>) is stable while the row is online.</summary>
public sealed record OnlineRowReply(
    string Key, string SessionId, long? Id, string? FirstName, string? LastName, string? Email, string? Company,
    DateTimeOffset LastActivity, string Type, string? LastUrl, string? Store, int Sessions)
{
    public static OnlineRowReply From(OnlineRow row) => new(row.Key, row.SessionId, row.CustomerId, row.FirstName, row.LastName,
        row.Email, row.Company, row.LastActivity, row.Type.ToString(), row.LastUrl, row.Store, row.SessionCount);
}
