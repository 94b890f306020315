using System.Net;
using Microsoft.Playwright;
using NowOnline.Core.Settings;
using NowOnline.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace NowOnline.Tests.Browser;

/// <summary>The live grid in real Chromium, fed through the real API.</summary>
[Collection(BrowserCollection.Name)]
public sealed class LiveGridTests(BrowserFixture browser) : IAsyncLifetime
{
    private TestApp _app = default!;
    private HttpClient _storefront = default!;

    public async Task InitializeAsync()
    {
        _app = await TestApp.StartAsync();
        _storefront = _app.Storefront();
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private async Task<OnlineGridPage> OpenGridAsync()
    {
        var grid = new OnlineGridPage(await browser.NewPageAsync(), _app.BaseAddress);
        await grid.OpenAsync();
        return grid;
    }

    private async Task PostAsync(object body) =>
        Assert.Equal(HttpStatusCode.Accepted, (await _storefront.PostEventAsync(body)).StatusCode);

    [Fact]
    public async Task Login_posted_to_the_api_appears_in_the_open_grid_without_reload()
    {
        var grid = await OpenGridAsync();
        await Expect(grid.Count).ToHaveTextAsync("0 online (0 customers, 0 visitors)");
        await grid.Page.EvaluateAsync("window.__notReloaded = true");

        await PostAsync(new
        {
            type = "login", sessionId = "s-1",
            customer = new { id = 42, firstName = "Ada", lastName = "Lovelace", email = "ada@example.com", company = "Analytical Ltd" },
            url = "https://shop.example/customer/account",
        });

        await Expect(grid.Row("c:42")).ToContainTextAsync("Lovelace");
        await Expect(grid.Row("c:42")).ToContainTextAsync("Analytical Ltd");
        await Expect(grid.Count).ToHaveTextAsync("1 online (1 customer, 0 visitors)");
        Assert.True(await grid.Page.EvaluateAsync<bool>("window.__notReloaded === true"));
    }

    [Fact]
    public async Task Session_idle_for_the_interval_leaves_the_open_grid_by_itself()
    {
        var grid = await OpenGridAsync();
        // Last activity 10 minutes ago: online under the default 15 minute interval, however slow the machine.
        var occurredAt = DateTimeOffset.UtcNow - TimeSpan.FromMinutes(10);
        await PostAsync(new { type = "cart_add", sessionId = "idle-1", occurredAt, item = new { sku = "WB-01", qty = 1 } });
        await PostAsync(new { type = "cart_add", sessionId = "busy-1", item = new { sku = "WB-01", qty = 1 } });
        await Expect(grid.Row("v:idle-1")).ToBeVisibleAsync();

        // A 5 minute interval makes idle-1 overdue: no race against the clock between posting and the first look.
        var settings = _app.Services.GetRequiredService<SettingsService>();
        var saved = await settings.SaveAsync(settings.Current.Settings with { OnlineMinutesInterval = 5 }, settings.Current.Version, "test");
        Assert.Equal(SettingsSaveOutcome.Saved, saved.Outcome);

        await Expect(grid.Row("v:idle-1")).ToHaveCountAsync(0);

        await Expect(grid.Row("v:busy-1")).ToBeVisibleAsync();
        await Expect(grid.Count).ToHaveTextAsync("1 online (0 customers, 1 visitor)");
    }

    [Fact]
    public async Task Page_view_does_not_change_last_activity_in_the_grid()
    {
        var loginAt = DateTimeOffset.UtcNow.AddMinutes(-2);
        await PostAsync(new { type = "login", sessionId = "s-1", occurredAt = loginAt, customer = new { id = 42, lastName = "Lovelace" } });
        var grid = await OpenGridAsync();
        var before = await grid.LastActivity("c:42").GetAttributeAsync("title");

        await PostAsync(new { type = "page_view", sessionId = "s-1", url = "https://shop.example/sale.html" });
        // A second, real change proves the grid has re-read its page since the page view.
        await PostAsync(new { type = "cart_add", sessionId = "other", item = new { sku = "A", qty = 1 } });
        await Expect(grid.Row("v:other")).ToBeVisibleAsync();

        Assert.Equal(before, await grid.LastActivity("c:42").GetAttributeAsync("title"));
        await Expect(grid.Row("c:42")).Not.ToContainTextAsync("sale.html");
    }

    [Fact]
    public async Task Root_leads_to_the_now_online_grid()
    {
        var page = await browser.NewSignedInPageAsync(_app);

        await page.GotoAsync(_app.BaseAddress.ToString());

        Assert.EndsWith("/customers/online", page.Url);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Now Online" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Now Online" })).ToBeVisibleAsync();
    }
}
