using Microsoft.AspNetCore.WebUtilities;
using NowOnline.Core.Presence;
using NowOnline.Web.Api.Online;

namespace NowOnline.Tests.Api;

public sealed class OnlineQueryStringTests
{
    [Fact]
    public void Every_part_of_a_view_survives_the_trip_through_the_url()
    {
        var view = new OnlineQuery
        {
            Search = "ada & co", Type = SessionType.Customer, IdFrom = 1, IdTo = 99, FirstName = "A", LastName = "L",
            Email = "@example.com", Company = "Ltd", LastUrl = "/cart?x=1", Store = "fr",
            ActivityFrom = new DateTimeOffset(2026, 11, 24, 5, 0, 0, TimeSpan.Zero), ActivityTo = new DateTimeOffset(2026, 11, 24, 6, 0, 0, TimeSpan.FromHours(1)),
            ActivityWithin = TimeSpan.FromMinutes(5), Sort = OnlineSortField.Email, Descending = false, Skip = 60, Take = 30,
        };

        var url = OnlineQueryString.Format(view, defaultTake: 20);
        var (parsed, errors) = OnlineQueryParser.Parse(QueryHelpers.ParseQuery(url), 20);

        Assert.False(errors.Any);
        Assert.Equal(view, parsed);
    }

    [Fact]
    public void Default_view_has_an_empty_query_string()
    {
        Assert.Equal("", OnlineQueryString.Format(new OnlineQuery(), defaultTake: OnlineQuery.DefaultTake));
    }

    [Fact]
    public void Sliding_window_becomes_a_lower_bound_when_the_query_runs()
    {
        var now = new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
        var query = new OnlineQuery { ActivityWithin = TimeSpan.FromMinutes(5), ActivityFrom = now.AddHours(-1) };

        var resolved = query.At(now);

        Assert.Equal(now.AddMinutes(-5), resolved.ActivityFrom);
        Assert.Null(resolved.ActivityWithin);
    }
}
