using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using NowOnline.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace NowOnline.Tests.Browser.Grid;

/// <summary>
/// The grid page for everyone: axe-core (WCAG 2.1 AA) in both colour schemes with every panel open, and the keyboard
/// alone (the phone's card list: GridPhoneTests). Screenshots go to NOWONLINE_SCREENSHOT_DIR when set, otherwise to a temp folder.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class GridAccessibilityTests(BrowserFixture browser) : GridTestBase(browser)
{
    private async Task<OnlineGridPage> OpenAsync(ColorScheme scheme, int width, int height, string path = "/customers/online")
    {
        var context = await Browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ColorScheme = scheme, ViewportSize = new ViewportSize { Width = width, Height = height }, TimezoneId = "Europe/Berlin",
        });
        var grid = new OnlineGridPage(await context.NewPageAsync(), App.BaseAddress);
        await grid.OpenAsync(path);
        return grid;
    }

    private static string ShotPath(string name) =>
        Path.Combine(Environment.GetEnvironmentVariable("NOWONLINE_SCREENSHOT_DIR") ?? Path.GetTempPath(), $"now-online-{name}.png");

    [Theory]
    [InlineData("light")]
    [InlineData("dark")]
    public async Task Grid_with_filters_columns_and_details_open_has_no_serious_axe_findings(string scheme)
    {
        await SeedShopAsync();
        var grid = await OpenAsync(scheme == "dark" ? ColorScheme.Dark : ColorScheme.Light, 1280, 900, "/customers/online?store=fr&bad=1&take=7");
        await Expect(grid.Rows).ToHaveCountAsync(2);
        await PageChecks.AssertNoSeriousAxeFindingsAsync(grid.Page, $"{scheme}, grid with chips and the link notice");

        await grid.OpenFiltersAsync();
        await grid.ColumnsToggle.ClickAsync();
        await Expect(grid.ColumnChooser).ToBeVisibleAsync();
        await PageChecks.AssertNoSeriousAxeFindingsAsync(grid.Page, $"{scheme}, filters and column chooser open");
        await grid.Page.ScreenshotAsync(new() { Path = ShotPath($"{scheme}-panels") });

        await grid.Page.Keyboard.PressAsync("Escape");
        await grid.Row("c:43").ClickAsync();
        await Expect(grid.DetailPanel.GetByTestId("detail-cart")).ToBeVisibleAsync();
        await PageChecks.AssertNoSeriousAxeFindingsAsync(grid.Page, $"{scheme}, details open");
        await grid.Page.ScreenshotAsync(new() { Path = ShotPath($"{scheme}-details") });
    }

    [Fact]
    public async Task Keyboard_alone_sorts_filters_chooses_columns_and_opens_and_closes_details()
    {
        await SeedShopAsync();
        var grid = await OpenAsync(ColorScheme.Light, 1280, 900);
        var keyboard = grid.Page.Keyboard;

        await grid.Header("Last Name").Locator("button").FocusAsync();
        await keyboard.PressAsync("Enter");
        await Expect(grid.Header("Last Name")).ToHaveAttributeAsync("aria-sort", "ascending");
        Assert.Equal("lastName:asc", grid.UrlQuery()["sort"]);

        await grid.FiltersToggle.FocusAsync();
        await keyboard.PressAsync("Enter");
        await grid.Filter("company").FocusAsync();
        await keyboard.TypeAsync("cobol");
        await keyboard.PressAsync("Tab");
        await Expect(grid.Rows).ToHaveCountAsync(1);

        await grid.ColumnsToggle.FocusAsync();
        await keyboard.PressAsync("Enter");
        await Expect(grid.ColumnChooser.GetByTestId("columns-close")).ToBeFocusedAsync();
        await grid.Page.GetByTestId("column-visible-email").FocusAsync();
        await keyboard.PressAsync("Space");
        await Expect(grid.Header("Email")).ToHaveCountAsync(0);
        await keyboard.PressAsync("Escape");
        await Expect(grid.ColumnChooser).ToHaveCountAsync(0);

        await grid.RowOpen("c:43").FocusAsync();
        await keyboard.PressAsync("Enter");
        await Expect(grid.DetailPanel.GetByTestId("detail-close")).ToBeFocusedAsync();
        await Expect(grid.DetailPanel.GetByTestId("detail-title")).ToHaveTextAsync("Grace Hopper");
        await keyboard.PressAsync("Escape");
        await Expect(grid.DetailPanel).ToHaveCountAsync(0);
    }
}
