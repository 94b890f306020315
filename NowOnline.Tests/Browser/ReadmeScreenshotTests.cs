using Microsoft.Playwright;
using NowOnline.Core.Trend;
using NowOnline.Tests.Support;
using NowOnline.Web.Simulator;
using static Microsoft.Playwright.Assertions;

namespace NowOnline.Tests.Browser;

/// <summary>
/// Retakes the README's screenshots of a busy shop: desktop (1280 px) and phone (390 px, its card list), light and dark
/// (the browser's preference, which the app follows until the admin picks). Written to NOWONLINE_README_SCREENSHOTS when set, e.g.
/// <c>NOWONLINE_README_SCREENSHOTS=$PWD/docs/images dotnet test NowOnline.Tests --filter "FullyQualifiedName~ReadmeScreenshotTests"</c>,
/// otherwise to a temp folder, so an ordinary test run checks that they can be taken without touching docs/.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ReadmeScreenshotTests(BrowserFixture browser) : IAsyncLifetime
{
    private TestApp _app = default!;
    private readonly string _folder = Environment.GetEnvironmentVariable("NOWONLINE_README_SCREENSHOTS")
        ?? Directory.CreateTempSubdirectory("nowonline-readme-").FullName;

    public async Task InitializeAsync()
    {
        _app = await TestApp.StartAsync();
        await SeedBusyShopAsync();
        _app.Services.GetRequiredService<TrendHistory>().LoadBusyHour();
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    public static TheoryData<string, string, int, int> Shots => new()
    {
        { "now-online-light.png", "light", 1280, 800 },
        { "now-online-dark.png", "dark", 1280, 800 },
        { "now-online-phone-light.png", "light", 390, 844 },
        { "now-online-phone-dark.png", "dark", 390, 844 },
    };

    [Theory]
    [MemberData(nameof(Shots))]
    public async Task Busy_shop_is_photographed_for_the_readme(string file, string theme, int width, int height)
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height },
            ColorScheme = theme == "dark" ? ColorScheme.Dark : ColorScheme.Light,
            TimezoneId = "Europe/Berlin",
        });
        var page = await context.NewPatientPageAsync();
        await page.GotoAsync(new Uri(_app.BaseAddress, "/login").ToString());
        await new LoginPage(page).SignInAsync(TestApp.AdminEmail, TestApp.AdminPassword);
        await page.GotoAsync(new Uri(_app.BaseAddress, "/customers/online").ToString());

        await Expect(page.GetByText(DemoCustomers.All[0].Email!).First).ToBeVisibleAsync();
        await Expect(page.GetByTestId("live-state")).ToHaveAttributeAsync("data-state", "live");
        await Expect(page.GetByTestId("trend-chart")).ToBeVisibleAsync();
        await Expect(page.Locator("body")).ToHaveCSSAsync("background-color", theme == "dark" ? "rgb(18, 20, 23)" : "rgb(244, 246, 248)");
        if (width < 600)
        {
            // A phone shows the card list: the page is scrolled to the grid's toolbar, just under the app bar.
            await Expect(page.GetByTestId("grid-area")).ToHaveAttributeAsync("data-layout", "cards");
            await page.EvaluateAsync("""
                () => window.scrollTo(0, document.querySelector('[data-testid=online-count]').getBoundingClientRect().top
                  + window.scrollY - document.querySelector('.mud-appbar').getBoundingClientRect().height - 12)
                """);
        }

        await page.EvaluateAsync("() => Promise.all(document.getAnimations().map(a => a.finished.catch(() => {})))");
        var path = Path.Combine(_folder, file);
        await page.ScreenshotAsync(new() { Path = path });

        Assert.True(new FileInfo(path).Length > 10_000, $"{path} looks empty");
        await context.CloseAsync();
    }

    private async Task SeedBusyShopAsync()
    {
        var now = DateTimeOffset.UtcNow;
        var events = new List<object>();
        var customers = DemoCustomers.All.Take(16).ToList();
        for (var i = 0; i < customers.Count; i++)
        {
            var c = customers[i];
            var product = DemoCustomers.Catalogue[i % DemoCustomers.Catalogue.Count];
            var store = DemoCustomers.Stores[i % DemoCustomers.Stores.Count];
            var at = now.AddSeconds(-40 * i - 5);
            events.Add(new
            {
                type = "login", sessionId = $"s-{c.Id}", occurredAt = at.AddSeconds(-20), store,
                customer = new { id = c.Id, firstName = c.FirstName, lastName = c.LastName, email = c.Email, company = c.Company },
            });
            events.Add(new
            {
                type = "cart_add", sessionId = $"s-{c.Id}", occurredAt = at, store,
                url = $"https://shop.example/{DemoCustomers.Paths[i % DemoCustomers.Paths.Count]}",
                item = new { sku = product.Sku, name = product.Name, qty = 1 + i % 3 },
            });
        }

        for (var i = 0; i < 6; i++)
            events.Add(new
            {
                type = "cart_add", sessionId = $"guest-{i}", occurredAt = now.AddSeconds(-55 * i - 10),
                url = $"https://shop.example/{DemoCustomers.Paths[(i + 3) % DemoCustomers.Paths.Count]}",
                item = new { sku = "WB-01", qty = 1 },
            });
        var response = await _app.Storefront().PostEventAsync(events.ToArray());
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
    }
}
