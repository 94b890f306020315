using Bunit;
using NowOnline.Core.Presence;
using NowOnline.Tests.Support;
using NowOnline.Web.Components.Grid;
using Radzen;
using static NowOnline.Tests.Support.Events;

namespace NowOnline.Tests.Components;

public sealed class OnlineGridTests : BunitContext
{
    private readonly PresenceTracker _tracker;

    public OnlineGridTests()
    {
        _tracker = TrackerFactory.Create(TimeProvider.System);
        Services.AddSingleton(_tracker);
        Services.AddSingleton(TimeProvider.System);
        Services.AddRadzenComponents();
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    private static DateTimeOffset Now => DateTimeOffset.UtcNow;

    [Fact]
    public void Grid_shows_each_online_row_and_the_header_counts()
    {
        _tracker.Apply([Login("s-1", Now), CartAdd("v-1", Now), CartAdd("v-2", Now)]);

        var grid = Render<OnlineGrid>();

        Assert.Equal(3, grid.FindAll("tr[data-key]").Count);
        Assert.Equal("3 online (1 customer, 2 visitors)", grid.Find("[data-testid=online-count]").TextContent);
    }

    [Fact]
    public void Grid_has_the_store_admin_columns_in_order()
    {
        var grid = Render<OnlineGrid>();

        var titles = grid.FindAll("th .rz-column-title").Select(th => th.TextContent.Trim());
        Assert.Equal(["ID", "First Name", "Last Name", "Email", "Last Activity", "Type", "Last URL", "Company", "Store"], titles);
    }

    [Fact]
    public void Grid_pages_twenty_rows_by_default()
    {
        _tracker.Apply(Enumerable.Range(0, 45).Select(i => CartAdd($"v-{i}", Now)).ToList());

        var grid = Render<OnlineGrid>();

        Assert.Equal(20, grid.FindAll("tr[data-key]").Count);
        Assert.Contains("(45 rows)", grid.Markup);
    }

    [Fact]
    public void Grid_picks_up_tracker_changes_without_being_asked()
    {
        var grid = Render<OnlineGrid>();
        Assert.Empty(grid.FindAll("tr[data-key]"));

        _tracker.Apply([Login("s-1", Now)]);

        grid.WaitForAssertion(() => Assert.Single(grid.FindAll("tr[data-key='c:42']")), TimeSpan.FromSeconds(5));
        Assert.Contains("Lovelace", grid.Find("tr[data-key='c:42']").TextContent);
        Assert.Contains("row-changed", grid.Find("tr[data-key='c:42']").ClassName);
    }

    [Fact]
    public void Visitor_row_leaves_customer_cells_empty()
    {
        _tracker.Apply([CartAdd("v-1", Now)]);

        var cells = Render<OnlineGrid>().FindAll("tr[data-key='v:v-1'] td").Select(td => td.TextContent.Trim()).ToList();

        Assert.Equal(["", "", "", ""], cells.Take(4));
        Assert.Equal("Visitor", cells[5]);
    }

    [Fact]
    public void Empty_grid_says_nobody_is_online()
    {
        var grid = Render<OnlineGrid>();

        Assert.Contains("Nobody is online right now", grid.Markup);
    }
}
