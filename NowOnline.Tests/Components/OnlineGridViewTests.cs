using Bunit;
using Bunit.TestDoubles;
using NowOnline.Core.Persistence;
using NowOnline.Core.Presence;
using NowOnline.Tests.Support;
using NowOnline.Web.Components.Grid;
using MudBlazor.Services;
using static NowOnline.Tests.Support.Events;

namespace NowOnline.Tests.Components;

/// <summary>The grid's view (filters, sort, page) and its URL, rendered with bunit.</summary>
public sealed class OnlineGridViewTests : BunitContext
{
    private readonly PresenceTracker _tracker;

    public OnlineGridViewTests()
    {
        _tracker = TrackerFactory.Create(TimeProvider.System);
        Services.AddSingleton(_tracker);
        Services.AddSingleton(TimeProvider.System);
        Services.AddMudServices();
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    private static DateTimeOffset Now => DateTimeOffset.UtcNow;

    private BunitNavigationManager Navigation => Services.GetRequiredService<BunitNavigationManager>();

    [Fact]
    public void Grid_opens_with_the_view_in_the_url()
    {
        _tracker.Apply([Login("s-1", Now), Login("s-2", Now, Grace), CartAdd("v-1", Now)]);
        Navigation.NavigateTo("/customers/online?type=Customer&sort=lastName:asc");

        var grid = Render<OnlineGrid>();

        Assert.Equal(["c:43", "c:42"], grid.RowKeys());
        Assert.Equal("Customer", grid.Find("[data-testid=filter-type]").GetAttribute("value"));
        Assert.Contains("Type: Customer", grid.Find("[data-testid=chip]").TextContent);
    }

    [Fact]
    public void Changing_a_filter_puts_it_in_the_url_and_keeps_the_sort()
    {
        _tracker.Apply([Login("s-1", Now), CartAdd("v-1", Now)]);
        Navigation.NavigateTo("/customers/online?sort=email:asc");
        var grid = Render<OnlineGrid>();

        grid.Find("[data-testid=filter-type]").Change("Visitor");

        grid.WaitForAssertion(() => Assert.EndsWith("/customers/online?type=Visitor&sort=email%3Aasc", Navigation.Uri));
        Assert.Equal(["v:v-1"], grid.RowKeys());
    }

    [Fact]
    public void Filters_that_match_nothing_say_so_rather_than_nobody_online()
    {
        _tracker.Apply([CartAdd("v-1", Now)]);
        Navigation.NavigateTo("/customers/online?type=Customer");

        var grid = Render<OnlineGrid>();

        Assert.Contains("No rows match your filters", grid.Find("[data-testid=no-match]").TextContent);
        Assert.Empty(grid.FindAll("[data-testid=empty-state]"));
    }

    [Fact]
    public void Export_link_carries_the_view_without_paging_and_the_visible_columns()
    {
        Navigation.NavigateTo("/customers/online?store=fr&sort=id:asc&take=50&skip=100");

        var grid = Render<OnlineGrid>();

        Assert.Equal("customers/online/export.csv?store=fr&sort=id%3Aasc&columns=id,firstName,lastName,email,lastActivity,type,lastUrl,company,store",
            grid.Find("[data-testid=export-csv]").GetAttribute("href"));
    }

    [Fact]
    public void Pause_holds_the_page_until_resumed()
    {
        using var database = new CoreDatabase(); // the details panel reads the session's timeline from the event file
        Services.AddSingleton(new SessionTimeline(database.Sqlite));
        var clock = new HeldTicks(); // the paused grid re-renders on its tick only
        Services.AddSingleton<TimeProvider>(clock);
        _tracker.Apply([CartAdd("v-1", Now)]);
        var grid = Render<OnlineGrid>();
        grid.Find("td[data-key='v:v-1'] button[data-testid=row-open]").Click();
        grid.Find("[data-testid=pause-toggle]").Click();
        Assert.Equal("paused", grid.Find("[data-testid=live-state]").GetAttribute("data-state"));

        // One batch: a new row, and a change of the open details' row. The details follow their row while paused, so
        // once they show the change the grid has read the batch, and the new row had its chance to appear.
        _tracker.Apply([Login("s-1", Now), CartAdd("v-1", Now)]);
        grid.WaitForAssertion(() =>
        {
            clock.Tick();
            Assert.Contains("Cart (2 items)", grid.Find("[data-testid=detail-cart]").TextContent);
        });
        Assert.Equal(["v:v-1"], grid.RowKeys());
        grid.Find("[data-testid=pause-toggle]").Click();

        grid.WaitForAssertion(() => Assert.Contains("c:42", grid.RowKeys()));
        Assert.Equal("live", grid.Find("[data-testid=live-state]").GetAttribute("data-state"));
    }

    [Fact]
    public void When_the_last_row_of_the_last_page_leaves_the_grid_steps_back_a_page()
    {
        var now = Now;
        _tracker.Apply(Enumerable.Range(1, 21)
            .Select(i => Login($"s-{i}", now.AddSeconds(-i), new CustomerProfile(i, $"F{i}", $"L{i}", $"c{i}@example.com", null)))
            .ToList());
        Navigation.NavigateTo("/customers/online?type=Customer&skip=20");
        var grid = Render<OnlineGrid>();
        Assert.Equal(["c:21"], grid.RowKeys());

        _tracker.Apply([Logout("s-21", now)]);

        grid.WaitForAssertion(() => Assert.Equal(20, grid.RowKeys().Count), TimeSpan.FromSeconds(5));
        Assert.Equal("c:1", grid.RowKeys()[0]);
        grid.WaitForAssertion(() => Assert.EndsWith("/customers/online?type=Customer", Navigation.Uri));
    }

    /// <summary>The system clock, except that the grid's periodic tick fires when the test says so.</summary>
    private sealed class HeldTicks : TimeProvider
    {
        private readonly List<(TimerCallback Callback, object? State)> _ticks = [];

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            if (period != OnlineGrid.TickInterval) return System.CreateTimer(callback, state, dueTime, period);
            lock (_ticks) _ticks.Add((callback, state));
            return System.CreateTimer(_ => { }, null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }

        public void Tick()
        {
            lock (_ticks)
                foreach (var (callback, state) in _ticks) callback(state);
        }
    }
}
