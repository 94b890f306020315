using NowOnline.Core.Trend;
using NowOnline.Tests.Support;
using NowOnline.Web.Simulator;
using static Microsoft.Playwright.Assertions;

namespace NowOnline.Tests.Browser.Grid;

/// <summary>
/// A busy shop under a filter, as the README shows it. The screenshot goes to NOWONLINE_SCREENSHOT when set
/// (e.g. docs/images/now-online.png), otherwise to a temp file.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class GridScreenshotTests(BrowserFixture browser) : GridTestBase(browser)
{
    [Fact]
    public async Task Busy_shop_under_a_filter_renders_live_with_chips_and_details()
    {
        var now = DateTimeOffset.UtcNow;
        var events = new List<object>();
        var customers = DemoCustomers.All.Take(24).ToList();
        for (var i = 0; i < customers.Count; i++)
        {
            var c = customers[i];
            var session = $"s-{c.Id}";
            var store = DemoCustomers.Stores[i % DemoCustomers.Stores.Count];
            var at = now.AddSeconds(-25 * i - 5);
            events.Add(Login(c.Id, c.FirstName!, c.LastName!, c.Email!, c.Company ?? "", session, store, at.AddSeconds(-20)));
            var product = DemoCustomers.Catalogue[i % DemoCustomers.Catalogue.Count];
            events.Add(CartAdd(session, product.Sku, 1 + i % 3, at, $"https://shop.example/{DemoCustomers.Paths[i % DemoCustomers.Paths.Count]}", store, product.Name!));
        }

        for (var i = 0; i < 12; i++)
            events.Add(CartAdd($"guest-{i:00}", at: now.AddSeconds(-37 * i - 3), url: $"https://shop.example/{DemoCustomers.Paths[(i + 3) % DemoCustomers.Paths.Count]}"));
        await PostAsync(events.ToArray());
        App.Services.GetRequiredService<TrendHistory>().LoadBusyHour();
        var grid = await OpenGridAsync("/customers/online?type=Customer&activityWithin=15&sort=lastActivity:desc", timeZone: "Europe/Berlin");
        await grid.Page.SetViewportSizeAsync(1600, 1000);
        await grid.SetFilterAsync("company", "e");
        await Expect(grid.Chips).ToHaveCountAsync(3);
        await Expect(grid.LiveState).ToHaveAttributeAsync("data-state", "live");
        await Expect(grid.Page.GetByTestId("trend-chart")).ToBeVisibleAsync();

        await PostAsync(CartAdd($"s-{customers[5].Id}", "CP-06", 1, url: "https://shop.example/checkout/cart", store: "de", name: "Cap"));
        await Expect(grid.RowKeyCells.First).ToHaveAttributeAsync("data-key", $"c:{customers[5].Id}");
        var path = Environment.GetEnvironmentVariable("NOWONLINE_SCREENSHOT") ?? Path.Combine(Path.GetTempPath(), "now-online.png");
        await grid.Page.ScreenshotAsync(new() { Path = path });

        await grid.Rows.Nth(1).ClickAsync();
        await Expect(grid.DetailPanel.GetByTestId("detail-cart")).ToContainTextAsync("Cart (");
        await Expect(grid.DetailPanel.GetByTestId("detail-timeline").Locator("li").First).ToBeVisibleAsync();
        var detailsPath = Path.Combine(Path.GetDirectoryName(path)!, Path.GetFileNameWithoutExtension(path) + "-details.png");
        await grid.Page.ScreenshotAsync(new() { Path = detailsPath });

        Assert.True(new FileInfo(path).Length > 10_000);
        Assert.True(new FileInfo(detailsPath).Length > 10_000);
    }
}
