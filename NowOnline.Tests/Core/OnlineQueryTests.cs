using NowOnline.Core.Presence;
using NowOnline.Tests.Support;
using static NowOnline.Tests.Support.Events;

namespace NowOnline.Tests.Core;

public sealed class OnlineQueryTests
{
    private readonly FakeClock _clock = new();
    private readonly PresenceTracker _tracker;

    public OnlineQueryTests()
    {
        _tracker = TrackerFactory.Create(_clock);
        var start = _clock.GetUtcNow();
        _tracker.Apply([
            Login("s-ada", start.AddMinutes(-3)),
            Login("s-grace", start.AddMinutes(-1), Grace),
            CartAdd("s-v1", start.AddMinutes(-2)),
            CartAdd("s-v2", start),
        ]);
    }

    [Fact]
    public void Default_order_is_newest_activity_first()
    {
        var page = _tracker.Query(new OnlineQuery());

        Assert.Equal(["v:s-v2", "c:43", "v:s-v1", "c:42"], page.Items.Select(r => r.Key));
    }

    [Fact]
    public void Type_filter_keeps_only_customers_and_counts_stay_global()
    {
        var page = _tracker.Query(new OnlineQuery { Type = SessionType.Customer });

        Assert.Equal(2, page.Total);
        Assert.All(page.Items, r => Assert.Equal(SessionType.Customer, r.Type));
        Assert.Equal((4, 2, 2), (page.Online, page.Customers, page.Visitors));
    }

    [Fact]
    public void Search_matches_any_text_column_ignoring_case()
    {
        Assert.Equal(["c:43"], _tracker.Query(new OnlineQuery { Search = "HOPPER" }).Items.Select(r => r.Key));
        Assert.Equal(["c:42"], _tracker.Query(new OnlineQuery { Search = "analytical" }).Items.Select(r => r.Key));
    }

    [Theory]
    [InlineData("42", new[] { "c:42" })]
    [InlineData(" 43 ", new[] { "c:43" })]
    [InlineData("042", new string[0])]
    [InlineData("+42", new string[0])]
    [InlineData("-42", new string[0])]
    [InlineData("4", new string[0])]
    public void Search_finds_a_customer_by_the_id_exactly_as_the_grid_shows_it(string search, string[] expected)
    {
        var page = _tracker.Query(new OnlineQuery { Search = search });

        Assert.Equal(expected, page.Items.Select(r => r.Key));
    }

    [Fact]
    public void Sort_by_last_name_ascending_puts_visitors_first_and_ties_stay_in_key_order()
    {
        var keys = _tracker.Query(new OnlineQuery { Sort = OnlineSortField.LastName, Descending = false }).Items.Select(r => r.Key);

        Assert.Equal(["v:s-v1", "v:s-v2", "c:43", "c:42"], keys);
    }

    [Fact]
    public void Paging_returns_the_requested_slice_and_the_total()
    {
        var page = _tracker.Query(new OnlineQuery { Skip = 1, Take = 2 });

        Assert.Equal(4, page.Total);
        Assert.Equal(["c:43", "v:s-v1"], page.Items.Select(r => r.Key));
    }

    [Fact]
    public void Page_past_the_end_is_empty_with_the_total()
    {
        var page = _tracker.Query(new OnlineQuery { Skip = 40, Take = 20 });

        Assert.Equal(4, page.Total);
        Assert.Empty(page.Items);
    }

    [Fact]
    public void Top_k_selection_matches_a_full_sort_on_many_rows()
    {
        var random = new Random(7);
        var now = _clock.GetUtcNow();
        _tracker.Apply(Enumerable.Range(0, 3000)
            .Select(i => CartAdd($"bulk-{i}", now.AddSeconds(-random.Next(0, 600)))).ToList());
        var query = new OnlineQuery { Skip = 100, Take = 50 };

        var expected = _tracker.QueryAll(query).Skip(100).Take(50).Select(r => r.Key);

        Assert.Equal(expected, _tracker.Query(query).Items.Select(r => r.Key));
    }
}
