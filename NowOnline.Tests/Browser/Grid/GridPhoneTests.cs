using System.Text.RegularExpressions;
using Microsoft.Playwright;
using NowOnline.Core.Trend;
using NowOnline.Tests.Support;
using static Microsoft.Playwright.Assertions;
using static NowOnline.Tests.Browser.PageChecks;

namespace NowOnline.Tests.Browser.Grid;

/// <summary>
/// Now Online on a 390 × 844 phone, light and dark: one card per row, every grid feature by tap and by keyboard, nothing
/// wider than the screen. Screenshots go to NOWONLINE_SCREENSHOT_DIR when set, otherwise to a temp folder.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class GridPhoneTests(BrowserFixture browser) : GridTestBase(browser)
{
    private async Task<(OnlineGridPage Grid, OnlineCardsPage Cards)> OpenAsync(
        string theme = "light", int width = 390, int height = 844, string path = "/customers/online", bool touch = false)
    {
        var context = await Browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ColorScheme = theme == "dark" ? ColorScheme.Dark : ColorScheme.Light,
            ViewportSize = new ViewportSize { Width = width, Height = height },
            TimezoneId = "Europe/Berlin",
            HasTouch = touch,
            IsMobile = touch,
        });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(15_000);
        var grid = new OnlineGridPage(page, App.BaseAddress);
        await grid.OpenAsync(path);
        return (grid, new OnlineCardsPage(page));
    }

    private static string ShotPath(string name) =>
        Path.Combine(Environment.GetEnvironmentVariable("NOWONLINE_SCREENSHOT_DIR") ?? Path.GetTempPath(), $"now-online-{name}.png");

    [Theory]
    [InlineData("light")]
    [InlineData("dark")]
    public async Task On_a_phone_each_row_is_a_card_showing_who_type_when_and_where_inside_the_screen(string theme)
    {
        await SeedShopAsync();
        // With an hour of trend, its table for screen readers is on the page too (it once widened the page).
        App.Services.GetRequiredService<TrendHistory>().LoadBusyHour();
        var (grid, cards) = await OpenAsync(theme);

        await Expect(cards.Area).ToHaveAttributeAsync("data-layout", "cards");
        await Expect(cards.Cards).ToHaveCountAsync(5);
        await Expect(cards.Table).ToHaveCountAsync(0);
        await Expect(cards.Name("c:44")).ToHaveTextAsync("Alan Turing");
        await Expect(cards.Type("c:44")).ToHaveTextAsync("Customer");
        await Expect(cards.Ago("c:44")).ToHaveTextAsync(new Regex(@"^(just now|\d+ min ago)$"));
        await Expect(cards.Name("v:v-2")).ToHaveTextAsync("Visitor");
        await Expect(cards.Url("v:v-2")).ToContainTextAsync("/sale/boots.html");
        await Expect(cards.Card("c:43").GetByTestId("card-company")).ToContainTextAsync("Cobol Systems");
        await Expect(cards.Card("c:43").GetByTestId("card-store")).ToContainTextAsync("fr");
        await Expect(cards.Card("v:v-1").GetByTestId("card-company")).ToHaveCountAsync(0);
        foreach (var (element, what) in new[]
                 {
                     (cards.Name("c:44"), "a customer's name"), (cards.Type("c:44"), "a customer's type"),
                     (cards.Ago("c:44"), "a customer's relative time"), (cards.Url("v:v-2"), "a visitor's Last URL"),
                 })
            await AssertInsideTheScreenAsync(element, what);
        await Expect(cards.Open("c:44")).ToHaveAccessibleNameAsync(new Regex(@"^Alan Turing #44 Customer last activity \d\d:\d\d:\d\d (just now|\d+ min ago)$"));
        await Expect(cards.Open("v:v-2")).ToHaveAccessibleNameAsync(new Regex(@"^Visitor last activity \d\d:\d\d:\d\d (just now|\d+ min ago)$"));
        await Expect(cards.Open("v:v-2")).ToHaveAccessibleDescriptionAsync(new Regex("Last URL /sale/boots.html Store fr"));
        await AssertNoSidewaysScrollAsync(grid.Page);
        await AssertNoSeriousAxeFindingsAsync(grid.Page, $"{theme}, phone card list");
        await grid.Page.ScreenshotAsync(new() { Path = ShotPath($"phone-{theme}-cards"), FullPage = true });

        await grid.OpenFiltersAsync();
        await grid.ColumnsToggle.ClickAsync();
        await Expect(grid.ColumnChooser).ToBeVisibleAsync();
        await AssertNoSidewaysScrollAsync(grid.Page);
        await AssertNoSeriousAxeFindingsAsync(grid.Page, $"{theme}, phone with the filters and the column chooser open");
        await grid.Page.ScreenshotAsync(new() { Path = ShotPath($"phone-{theme}-panels"), FullPage = true });
        await grid.Page.Keyboard.PressAsync("Escape");

        await cards.Card("c:43").ClickAsync();
        var sheet = grid.DetailPanel;
        await Expect(sheet.GetByTestId("detail-title")).ToHaveTextAsync("Grace Hopper");
        await Expect(sheet.GetByTestId("detail-close")).ToBeInViewportAsync();
        var box = await sheet.BoundingBoxAsync();
        Assert.Equal((0f, 0f, 390f, 844f), (box!.X, box.Y, box.Width, box.Height));
        await AssertNoSidewaysScrollAsync(grid.Page);
        await AssertNoSeriousAxeFindingsAsync(grid.Page, $"{theme}, phone with the details sheet open");
        await grid.Page.ScreenshotAsync(new() { Path = ShotPath($"phone-{theme}-details") });
    }

    [Fact]
    public async Task A_row_arriving_changing_and_leaving_shows_on_the_cards()
    {
        await SeedShopAsync();
        var (grid, cards) = await OpenAsync(path: "/customers/online?type=Customer");
        await Expect(cards.Cards).ToHaveCountAsync(3);

        await PostAsync(Login(45, "Edsger", "Dijkstra", "edsger@example.com", "Shortest Path BV", "s-edsger"));
        await Expect(cards.Card("c:45")).ToHaveClassAsync(new Regex("card-changed"));
        Assert.Equal("c:45", (await cards.KeysAsync())[0]);

        await PostAsync(CartAdd("s-ada", url: "https://shop.example/checkout/onepage"));
        await Expect(cards.Url("c:42")).ToContainTextAsync("/checkout/onepage");
        await Expect(cards.Card("c:42")).ToHaveClassAsync(new Regex("card-changed"));
        Assert.Equal("c:42", (await cards.KeysAsync())[0]);

        await PostAsync(new { type = "logout", sessionId = "s-grace" });
        await Expect(cards.Card("c:43")).ToHaveCountAsync(0);
        await Expect(cards.Cards).ToHaveCountAsync(3);
        await Expect(grid.Count).ToHaveTextAsync("6 online (3 customers, 3 visitors)");
    }

    [Fact]
    public async Task Pause_holds_the_cards_still_and_a_selected_card_stays_selected_through_updates()
    {
        await SeedShopAsync();
        var (grid, cards) = await OpenAsync();
        await cards.Card("c:42").ClickAsync();
        await Expect(grid.DetailPanel).ToBeVisibleAsync();
        await grid.DetailPanel.GetByTestId("detail-close").ClickAsync();
        await Expect(cards.Open("c:42")).ToBeFocusedAsync();

        await grid.PauseToggle.ClickAsync();
        await Expect(grid.LiveState).ToHaveAttributeAsync("data-state", "paused");
        await PostAsync(CartAdd("v-while-paused"), CartAdd("s-ada", qty: 2));
        // The details of a row follow it even while paused; the list itself holds still.
        await cards.Card("c:42").ClickAsync();
        await Expect(grid.DetailPanel.GetByTestId("detail-cart")).ToContainTextAsync("2 items");
        await grid.Page.Keyboard.PressAsync("Escape");
        await Expect(cards.Card("v:v-while-paused")).ToHaveCountAsync(0);

        await grid.PauseToggle.ClickAsync();

        await Expect(cards.Card("v:v-while-paused")).ToBeVisibleAsync();
        await Expect(cards.Cards).ToHaveCountAsync(6);
    }

    [Fact]
    public async Task Sort_page_filters_and_details_work_by_tap()
    {
        await SeedShopAsync();
        var now = DateTimeOffset.UtcNow;
        await PostAsync(Enumerable.Range(0, 20).Select(i => CartAdd($"v-more-{i:00}", at: now.AddMinutes(-2).AddSeconds(-i))).ToArray());
        var (grid, cards) = await OpenAsync(touch: true);
        await Expect(cards.Cards).ToHaveCountAsync(20);

        await cards.SortMenu.SelectOptionAsync(new SelectOptionValue { Label = "Last Name, Z to A" });
        await Expect(cards.Cards.First).ToHaveAttributeAsync("data-key", "c:44");
        Assert.Equal(["c:44", "c:42", "c:43"], (await cards.KeysAsync()).Take(3));
        Assert.Equal("lastName:desc", grid.UrlQuery()["sort"]);

        await grid.Page.GetByTestId("pager").Locator(".mud-pagination-item button").GetByText("2", new() { Exact = true }).TapAsync();
        await Expect(grid.PagingSummary).ToHaveTextAsync("Page 2 of 2 (25 rows)");
        await Expect(cards.Cards).ToHaveCountAsync(5);

        await grid.FiltersToggle.TapAsync();
        await Expect(grid.FilterPanel).ToBeVisibleAsync();
        await AssertInsideTheScreenAsync(grid.FilterPanel, "the filters panel");
        await grid.Filter("company").FillAsync("cobol");
        await grid.Filter("company").DispatchEventAsync("change");
        await Expect(cards.Cards).ToHaveCountAsync(1);
        await grid.Page.GetByTestId("filters-close").TapAsync();
        await Expect(grid.FilterPanel).ToHaveCountAsync(0);
        await Expect(grid.Chip("company")).ToBeVisibleAsync();

        await cards.Card("c:43").TapAsync();
        await Expect(grid.DetailPanel.GetByTestId("detail-title")).ToHaveTextAsync("Grace Hopper");
        await Expect(cards.Open("c:43")).ToHaveAttributeAsync("aria-expanded", "true");
        await AssertNoSidewaysScrollAsync(grid.Page);
        await grid.DetailPanel.GetByTestId("detail-close").TapAsync();
        await Expect(grid.DetailPanel).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Keyboard_alone_sorts_pages_filters_and_opens_details_one_card_at_a_time()
    {
        await SeedShopAsync();
        var now = DateTimeOffset.UtcNow;
        await PostAsync(Enumerable.Range(0, 20).Select(i => CartAdd($"v-more-{i:00}", at: now.AddMinutes(-2).AddSeconds(-i))).ToArray());
        var (grid, cards) = await OpenAsync(path: "/customers/online?sort=id:desc");
        var keyboard = grid.Page.Keyboard;
        await Expect(cards.Cards).ToHaveCountAsync(20);

        // Each card is one stop of the Tab key, in the order shown.
        await cards.Open("c:44").FocusAsync();
        await keyboard.PressAsync("Tab");
        await Expect(cards.Open("c:43")).ToBeFocusedAsync();
        await keyboard.PressAsync("Tab");
        await Expect(cards.Open("c:42")).ToBeFocusedAsync();

        await keyboard.PressAsync("Enter");
        await Expect(grid.DetailPanel.GetByTestId("detail-close")).ToBeFocusedAsync();
        await Expect(grid.DetailPanel.GetByTestId("detail-title")).ToHaveTextAsync("Ada Lovelace");
        // The sheet covers the page, and the keyboard does not wander behind it.
        await keyboard.PressAsync("Shift+Tab");
        Assert.True(await grid.Page.EvaluateAsync<bool>(
            "() => document.activeElement === document.body || !!document.activeElement?.closest('[data-testid=detail-panel]')"),
            "Shift+Tab from the sheet's close button reached the page behind the sheet");
        await grid.DetailPanel.GetByTestId("detail-close").FocusAsync();
        await keyboard.PressAsync("Escape");
        await Expect(grid.DetailPanel).ToHaveCountAsync(0);
        await Expect(cards.Open("c:42")).ToBeFocusedAsync();

        await cards.SortMenu.FocusAsync();
        await keyboard.PressAsync("ArrowUp");
        await Expect(cards.SortMenu).ToHaveValueAsync("id:asc");
        await Expect(cards.Cards.First).ToHaveAttributeAsync("data-key", "v:v-1");

        await grid.Page.GetByTestId("pager").Locator(".mud-pagination-item button").Filter(new() { HasTextRegex = new Regex(@"^\s*2\s*$") }).FocusAsync();
        await keyboard.PressAsync("Enter");
        await Expect(grid.PagingSummary).ToHaveTextAsync("Page 2 of 2 (25 rows)");
        await Expect(cards.Cards.Last).ToHaveAttributeAsync("data-key", "c:44");

        await grid.FiltersToggle.FocusAsync();
        await keyboard.PressAsync("Enter");
        await grid.Filter("company").FocusAsync();
        await keyboard.TypeAsync("analytical");
        await keyboard.PressAsync("Tab");
        await Expect(cards.Cards).ToHaveCountAsync(1);
        await keyboard.PressAsync("Escape");
        await Expect(grid.FilterPanel).ToHaveCountAsync(0);
        await Expect(grid.FiltersToggle).ToBeFocusedAsync();
    }

    [Theory]
    [InlineData(768, 1024, "cards")]
    [InlineData(1024, 768, "cards")]
    [InlineData(1280, 800, "table")]
    public async Task Tablet_and_narrow_desktop_windows_get_the_layout_that_fits_without_sideways_scroll(int width, int height, string layout)
    {
        await SeedShopAsync();
        var (grid, cards) = await OpenAsync(width: width, height: height);

        await Expect(cards.Area).ToHaveAttributeAsync("data-layout", layout);
        await AssertNoSidewaysScrollAsync(grid.Page);
        await grid.Page.ScreenshotAsync(new() { Path = ShotPath($"{width}-{layout}") });
    }

    [Fact]
    public async Task On_a_tablet_a_table_of_few_columns_fits_and_is_shown_and_a_turned_phone_follows()
    {
        await SeedShopAsync();
        var (grid, cards) = await OpenAsync(width: 768, height: 1024);
        await Expect(cards.Area).ToHaveAttributeAsync("data-layout", "cards");

        await grid.ColumnsToggle.ClickAsync();
        foreach (var column in new[] { "id", "email", "lastUrl", "company", "store" })
            await grid.Page.GetByTestId($"column-visible-{column}").ClickAsync();
        await grid.Page.Keyboard.PressAsync("Escape");

        await Expect(cards.Area).ToHaveAttributeAsync("data-layout", "table");
        await Expect(grid.Rows).ToHaveCountAsync(5);
        var table = grid.Page.Locator(".online-grid .mud-table-container");
        Assert.True(await table.EvaluateAsync<bool>("t => t.scrollWidth <= t.clientWidth"), "the table of four columns scrolls sideways at 768 px");
        await AssertNoSidewaysScrollAsync(grid.Page);

        await grid.Page.SetViewportSizeAsync(390, 844);
        await Expect(cards.Area).ToHaveAttributeAsync("data-layout", "cards");
        await Expect(cards.Card("c:42").GetByTestId("card-email")).ToHaveCountAsync(0);
        await Expect(cards.Name("c:42")).ToHaveTextAsync("Ada Lovelace");
        await AssertNoSidewaysScrollAsync(grid.Page);
    }
}
