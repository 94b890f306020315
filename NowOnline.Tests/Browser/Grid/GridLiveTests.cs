using NowOnline.Tests.Support;
using NowOnline.Web.Components.Grid;
using static Microsoft.Playwright.Assertions;

namespace NowOnline.Tests.Browser.Grid;

/// <summary>Live updates that keep the admin's view, in real Chromium.</summary>
[Collection(BrowserCollection.Name)]
public sealed class GridLiveTests(BrowserFixture browser) : GridTestBase(browser)
{
    [Fact]
    public async Task Under_type_customer_a_visitor_event_stays_out_and_a_customer_event_comes_in()
    {
        await SeedShopAsync();
        var grid = await OpenGridAsync("/customers/online?type=Customer");
        await Expect(grid.Rows).ToHaveCountAsync(3);

        await PostAsync(CartAdd("v-new"));
        // The header counts every online row, so it proves the grid has seen the visitor's event.
        await Expect(grid.Count).ToHaveTextAsync("6 online (3 customers, 3 visitors)");
        await Expect(grid.Row("v:v-new")).ToHaveCountAsync(0);
        await Expect(grid.Rows).ToHaveCountAsync(3);

        await PostAsync(Login(45, "Edsger", "Dijkstra", "edsger@example.com", "Shortest Path BV", "s-edsger"));

        await Expect(grid.Row("c:45")).ToBeVisibleAsync();
        await Expect(grid.RowKeyCells.First).ToHaveAttributeAsync("data-key", "c:45");
        await Expect(grid.Row("c:45")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("row-changed"));
        await Expect(grid.Count).ToHaveTextAsync("7 online (4 customers, 3 visitors)");
    }

    [Fact]
    public async Task Keyboard_focus_on_a_row_survives_a_live_change_of_that_row()
    {
        await SeedShopAsync();
        var grid = await OpenGridAsync("/customers/online?sort=id:asc");
        await grid.RowOpen("c:42").FocusAsync();

        await PostAsync(CartAdd("s-ada", qty: 3));
        await Expect(grid.Row("c:42")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("row-changed"));

        await Expect(grid.RowOpen("c:42")).ToBeFocusedAsync();
    }

    [Fact]
    public async Task A_row_that_stops_matching_leaves_the_filtered_view()
    {
        await SeedShopAsync();
        var grid = await OpenGridAsync("/customers/online?type=Customer");

        await PostAsync(new { type = "logout", sessionId = "s-grace" });

        await Expect(grid.Row("c:43")).ToHaveCountAsync(0);
        await Expect(grid.Rows).ToHaveCountAsync(2);
        await Expect(grid.Count).ToHaveTextAsync("5 online (2 customers, 3 visitors)");
    }

    [Fact]
    public async Task Page_and_sort_stay_put_while_rows_change()
    {
        var now = DateTimeOffset.UtcNow;
        await PostAsync(Enumerable.Range(1, 45)
            .Select(i => Login(i, $"First{i:00}", $"Last{i:00}", $"c{i:00}@example.com", "Acme", $"s-{i}", at: now.AddSeconds(-i)))
            .ToArray());
        var grid = await OpenGridAsync("/customers/online?sort=email:asc&skip=20");
        Assert.Equal(Enumerable.Range(21, 20).Select(i => $"c:{i}"), await grid.RowKeysAsync());

        // Activity on rows of this page, of other pages, and a new row: the order is by email, so nothing moves.
        await PostAsync(CartAdd("s-25"), CartAdd("s-3"), CartAdd("s-44"), Login(46, "New", "Comer", "c46@example.com", "Acme", "s-46"));
        await Expect(grid.Count).ToHaveTextAsync("46 online (46 customers, 0 visitors)");
        await Expect(grid.Row("c:25")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("row-changed"));

        Assert.Equal(Enumerable.Range(21, 20).Select(i => $"c:{i}"), await grid.RowKeysAsync());
        await Expect(grid.PagingSummary).ToContainTextAsync("Page 2 of 3 (46 rows)");
        await Expect(grid.Header("Email")).ToHaveAttributeAsync("aria-sort", "ascending");
        Assert.Equal(new Dictionary<string, string> { ["sort"] = "email:asc", ["skip"] = "20" }, grid.UrlQuery());
    }

    [Fact]
    public async Task Paused_grid_holds_still_until_resumed()
    {
        await SeedShopAsync();
        var grid = await OpenGridAsync();

        await grid.Row("v:v-1").ClickAsync();
        await Expect(grid.DetailPanel.GetByTestId("detail-cart")).ToContainTextAsync("Cart (1 item)");
        await grid.PauseToggle.ClickAsync();
        await Expect(grid.LiveState).ToHaveAttributeAsync("data-state", "paused");

        // One request: a new row, and a change of the open details' row. The details follow their row while paused (on
        // the grid's next tick), so once they show the change the grid has read the batch, and the new row had its chance.
        await PostAsync(CartAdd("v-while-paused"), CartAdd("v-1", qty: 2));
        await Expect(grid.DetailPanel.GetByTestId("detail-cart"))
            .ToContainTextAsync("Cart (3 items)", new() { Timeout = PlaywrightPatience.Timeout + (float)OnlineGrid.TickInterval.TotalMilliseconds });
        await Expect(grid.Row("v:v-while-paused")).ToHaveCountAsync(0);

        await grid.PauseToggle.ClickAsync();

        await Expect(grid.LiveState).ToHaveAttributeAsync("data-state", "live");
        await Expect(grid.Row("v:v-while-paused")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Indicator_says_reconnecting_or_offline_when_the_server_goes_away()
    {
        await SeedShopAsync();
        var grid = await OpenGridAsync();
        await Expect(grid.LiveState).ToHaveTextAsync("Live");

        await App.StopAsync();

        await Expect(grid.LiveState).ToHaveAttributeAsync("data-state", new System.Text.RegularExpressions.Regex("reconnecting|offline"));
        await Expect(grid.Page.Locator("#components-reconnect-modal")).ToBeVisibleAsync();
    }
}
