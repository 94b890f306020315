using Bunit;
using NowOnline.Core.Presence;
using NowOnline.Web.Components.Grid;
using MudBlazor.Services;

namespace NowOnline.Tests.Components;

public sealed class OnlineFiltersTests : BunitContext
{
    public OnlineFiltersTests()
    {
        Services.AddMudServices();
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    private (IRenderedComponent<OnlineFilters> Filters, Func<OnlineQuery?> Changed) Render(OnlineQuery query, TimeZoneInfo? zone = null)
    {
        OnlineQuery? changed = null;
        var filters = Render<OnlineFilters>(p => p
            .Add(f => f.Query, query)
            .Add(f => f.TimeZone, zone ?? TimeZoneInfo.Utc)
            .Add(f => f.QueryChanged, q => changed = q));
        return (filters, () => changed);
    }

    [Fact]
    public void Every_active_filter_shows_as_a_chip()
    {
        var (filters, _) = Render(new OnlineQuery
        {
            Search = "ada", Type = SessionType.Customer, IdFrom = 5, Email = "example", ActivityWithin = TimeSpan.FromMinutes(15),
        });

        var chips = filters.FindAll("[data-testid=chip]").Select(c => c.GetAttribute("data-filter"));

        Assert.Equal(["search", "id", "email", "activityWithin", "type"], chips);
        Assert.Contains("ID ≥ 5", filters.Find("[data-filter=id]").TextContent);
    }

    [Fact]
    public void Removing_a_chip_drops_only_that_filter_and_goes_to_the_first_page()
    {
        var (filters, changed) = Render(new OnlineQuery { Email = "example", Store = "fr", Skip = 40, Sort = OnlineSortField.Email });

        filters.Find("[data-filter=store] button").Click();

        Assert.Equal(new OnlineQuery { Email = "example", Sort = OnlineSortField.Email }, changed());
    }

    [Fact]
    public void Column_text_filter_applies_when_the_field_is_left_and_trims_the_text()
    {
        var (filters, changed) = Render(new OnlineQuery { Skip = 20 });
        filters.Find("[data-testid=filters-toggle]").Click();

        filters.Find("[data-testid=filter-company]").Change("  Analytical ");

        Assert.Equal(new OnlineQuery { Company = "Analytical" }, changed());
    }

    [Fact]
    public void Type_select_filters_customers_or_visitors()
    {
        var (filters, changed) = Render(new OnlineQuery());

        filters.Find("[data-testid=filter-type]").Change("Visitor");

        Assert.Equal(new OnlineQuery { Type = SessionType.Visitor }, changed());
    }

    [Fact]
    public void Search_reports_the_text_once_typing_pauses()
    {
        var (filters, changed) = Render(new OnlineQuery());

        filters.Find("[data-testid=search]").Input("bletchley");

        filters.WaitForAssertion(() => Assert.Equal(new OnlineQuery { Search = "bletchley" }, changed()), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void Activity_range_is_read_in_the_admins_time_zone()
    {
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        var (filters, changed) = Render(new OnlineQuery(), berlin);
        filters.Find("[data-testid=filters-toggle]").Click();

        filters.Find("[data-testid=filter-activityFrom]").Change("2026-07-01T12:30");

        Assert.Equal(new DateTimeOffset(2026, 7, 1, 10, 30, 0, TimeSpan.Zero), changed()!.ActivityFrom);
    }

    [Fact]
    public void A_time_the_clocks_skip_is_refused_with_a_message()
    {
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        var (filters, changed) = Render(new OnlineQuery(), berlin);
        filters.Find("[data-testid=filters-toggle]").Click();

        filters.Find("[data-testid=filter-activityFrom]").Change("2026-03-29T02:30");

        Assert.Null(changed());
        Assert.Contains("does not exist", filters.Find("[data-testid=filter-problem]").TextContent);
    }

    [Theory]
    [InlineData("-3")]
    [InlineData("12abc")]
    [InlineData("99999999999999999999999")]
    public void Bad_id_is_refused_with_a_message(string value)
    {
        var (filters, changed) = Render(new OnlineQuery());
        filters.Find("[data-testid=filters-toggle]").Click();

        filters.Find("[data-testid=filter-idFrom]").Change(value);

        Assert.Null(changed());
        Assert.Contains("ID from must be a whole number", filters.Find("[data-testid=filter-problem]").TextContent);
    }

    [Fact]
    public void Quick_pick_sets_a_sliding_window_and_a_second_click_clears_it()
    {
        var (filters, changed) = Render(new OnlineQuery { ActivityFrom = DateTimeOffset.UnixEpoch });

        filters.Find("[data-testid=within-5]").Click();
        Assert.Equal(new OnlineQuery { ActivityWithin = TimeSpan.FromMinutes(5) }, changed());

        var (picked, changedAgain) = Render(new OnlineQuery { ActivityWithin = TimeSpan.FromMinutes(5) });
        picked.Find("[data-testid=within-5]").Click();
        Assert.Equal(new OnlineQuery(), changedAgain());
    }

    [Fact]
    public void Clear_all_keeps_sort_and_page_size()
    {
        var (filters, changed) = Render(new OnlineQuery { Type = SessionType.Visitor, Search = "x", Sort = OnlineSortField.Store, Descending = false, Take = 50, Skip = 50 });

        filters.Find("[data-testid=clear-filters]").Click();

        Assert.Equal(new OnlineQuery { Sort = OnlineSortField.Store, Descending = false, Take = 50 }, changed());
    }
}
