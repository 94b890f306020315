using Bunit;
using MudBlazor.Services;
using NowOnline.Core.Presence;
using NowOnline.Tests.Support;
using NowOnline.Web.Components.Grid;
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
        Services.AddMudServices();
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    private static DateTimeOffset Now => DateTimeOffset.UtcNow;

    private static IEnumerable<ActivityEvent> Visitors(int count) =>
        Enumerable.Range(0, count).Select(i => CartAdd($"v-{i:00}", Now.AddSeconds(-i)));

    [Fact]
    public void Grid_shows_each_online_row_and_the_header_counts()
    {
        _tracker.Apply([Login("s-1", Now), CartAdd("v-1", Now), CartAdd("v-2", Now)]);

        var grid = Render<OnlineGrid>();

        Assert.Equal(3, grid.RowKeys().Count);
        Assert.Equal("3 online (1 customer, 2 visitors)", grid.Find("[data-testid=online-count]").TextContent);
    }

    [Fact]
    public void Grid_has_the_store_admin_columns_in_order()
    {
        var grid = Render<OnlineGrid>();

        Assert.Equal(["ID", "First Name", "Last Name", "Email", "Last Activity", "Type", "Last URL", "Company", "Store"], grid.HeaderTitles());
    }

    [Fact]
    public void Grid_pages_twenty_rows_by_default()
    {
        _tracker.Apply(Visitors(45).ToList());

        var grid = Render<OnlineGrid>();

        Assert.Equal(20, grid.RowKeys().Count);
        Assert.Equal("Page 1 of 3 (45 rows)", grid.Find("[data-testid=paging-summary]").TextContent);
        Assert.Equal("20", grid.Find("[data-testid=page-size]").GetAttribute("value"));
    }

    [Fact]
    public void Page_buttons_and_page_size_move_through_the_rows()
    {
        _tracker.Apply(Visitors(45).ToList());
        var grid = Render<OnlineGrid>();

        grid.FindAll("[data-testid=pager] .mud-pagination-item button").Single(b => b.TextContent.Trim() == "3").Click();

        Assert.Equal(["v:v-40", "v:v-41", "v:v-42", "v:v-43", "v:v-44"], grid.RowKeys());
        Assert.Equal("Page 3 of 3 (45 rows)", grid.Find("[data-testid=paging-summary]").TextContent);

        grid.Find("[data-testid=page-size]").Change("50");

        Assert.Equal(45, grid.RowKeys().Count);
        Assert.Equal("Page 1 of 1 (45 rows)", grid.Find("[data-testid=paging-summary]").TextContent);
    }

    [Fact]
    public void Header_click_sorts_ascending_then_descending_and_marks_the_header()
    {
        _tracker.Apply([Login("s-1", Now), Login("s-2", Now.AddSeconds(-5), Grace)]);
        var grid = Render<OnlineGrid>();
        Assert.Equal("descending", grid.Find("th[data-column=lastActivity]").GetAttribute("aria-sort"));

        grid.Find("[data-testid=sort-lastName]").Click();

        Assert.Equal(["c:43", "c:42"], grid.RowKeys());
        Assert.Equal("ascending", grid.Find("th[data-column=lastName]").GetAttribute("aria-sort"));
        Assert.Equal("none", grid.Find("th[data-column=lastActivity]").GetAttribute("aria-sort"));

        grid.Find("[data-testid=sort-lastName]").Click();

        Assert.Equal(["c:42", "c:43"], grid.RowKeys());
        Assert.Equal("descending", grid.Find("th[data-column=lastName]").GetAttribute("aria-sort"));
    }

    [Fact]
    public void Sorting_by_a_column_with_equal_values_keeps_a_stable_order()
    {
        var now = Now;
        _tracker.Apply(Enumerable.Range(0, 5).Select(i => CartAdd($"v-{i}", now.AddSeconds(-i))).ToList());
        var grid = Render<OnlineGrid>();

        grid.Find("[data-testid=sort-type]").Click();
        var first = grid.RowKeys();
        grid.Find("[data-testid=sort-type]").Click();
        grid.Find("[data-testid=sort-type]").Click();

        Assert.Equal(5, first.Count);
        Assert.Equal(first, grid.RowKeys());
    }

    [Fact]
    public void Column_chooser_hides_and_moves_columns_and_reset_brings_them_back()
    {
        _tracker.Apply([Login("s-1", Now)]);
        var grid = Render<OnlineGrid>();
        grid.Find("[data-testid=columns-toggle]").Click();

        grid.Find("[data-testid=column-visible-email]").Change(false);
        grid.Find("[data-testid=column-up-company]").Click();

        Assert.Equal(["ID", "First Name", "Last Name", "Last Activity", "Type", "Company", "Last URL", "Store"], grid.HeaderTitles());
        Assert.Equal(["42", "Ada", "Lovelace"], grid.Cells("c:42").Take(3));
        Assert.Equal("Analytical Ltd", grid.Cells("c:42")[5]);

        grid.Find("[data-testid=columns-reset]").Click();

        Assert.Equal(["ID", "First Name", "Last Name", "Email", "Last Activity", "Type", "Last URL", "Company", "Store"], grid.HeaderTitles());
    }

    [Fact]
    public void Column_chooser_saves_the_layout_in_the_browser_and_closes_on_escape()
    {
        var grid = Render<OnlineGrid>();
        grid.Find("[data-testid=columns-toggle]").Click();

        grid.Find("[data-testid=column-visible-store]").Change(false);

        var saved = JSInterop.Invocations["nowOnline.storage.set"].Last();
        Assert.Equal("nowOnline.columns", saved.Arguments[0]);
        Assert.Contains("{\"Key\":\"store\",\"Visible\":false}", (string)saved.Arguments[1]!);
        grid.Find("[data-testid=column-chooser]").KeyDown(new Microsoft.AspNetCore.Components.Web.KeyboardEventArgs { Key = "Escape" });
        Assert.Empty(grid.FindAll("[data-testid=column-chooser]"));
    }

    [Fact]
    public void Grid_picks_up_tracker_changes_without_being_asked()
    {
        var grid = Render<OnlineGrid>();
        Assert.Empty(grid.RowKeys());

        _tracker.Apply([Login("s-1", Now)]);

        grid.WaitForAssertion(() => Assert.Equal(["c:42"], grid.RowKeys()), TimeSpan.FromSeconds(5));
        Assert.Contains("Lovelace", grid.Row("c:42").TextContent);
        Assert.Contains("row-changed", grid.Row("c:42").ClassName);
    }

    [Fact]
    public void Visitor_row_leaves_customer_cells_empty()
    {
        _tracker.Apply([CartAdd("v-1", Now)]);

        var cells = Render<OnlineGrid>().Cells("v:v-1");

        Assert.Equal(["", "", "", ""], cells.Take(4));
        Assert.Equal("Visitor", cells[5]);
    }

    [Fact]
    public void Empty_grid_says_nobody_is_online()
    {
        var grid = Render<OnlineGrid>();

        Assert.Contains("Nobody is online right now", grid.Find("[data-testid=empty-state]").TextContent);
    }
}
