using System.Net;
using Microsoft.Playwright;
using NowOnline.Tests.Support;
using NowOnline.Web.Security;
using static Microsoft.Playwright.Assertions;

namespace NowOnline.Tests.Browser;

/// <summary>Hostile values render as text, and the pages work under the Content-Security-Policy.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SafeOutputTests(BrowserFixture browser) : IAsyncLifetime
{
    private TestApp _app = default!;

    public async Task InitializeAsync() => _app = await TestApp.StartAsync();

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Customer_named_with_markup_shows_as_text_and_runs_nothing()
    {
        var grid = new OnlineGridPage(await browser.NewPageAsync(), _app.BaseAddress);
        var dialogs = new List<string>();
        grid.Page.Dialog += (_, dialog) =>
        {
            dialogs.Add(dialog.Message);
            _ = dialog.DismissAsync();
        };
        await grid.OpenAsync();

        var response = await _app.Storefront().PostEventAsync(new
        {
            type = "login", sessionId = "xss-1",
            customer = new
            {
                id = 666, firstName = "<img src=x onerror=alert(1)>", lastName = "<script>alert(2)</script>",
                email = "evil@example.com", company = "\"><svg onload=alert(3)>",
            },
            url = "https://shop.example/search?q=<script>alert(4)</script>",
            store = "<b>bold</b>",
        });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);

        var row = grid.Row("c:666");
        await Expect(row).ToContainTextAsync("<img src=x onerror=alert(1)>");
        await Expect(row).ToContainTextAsync("<script>alert(2)</script>");
        await Expect(row).ToContainTextAsync("\"><svg onload=alert(3)>");
        await Expect(row).ToContainTextAsync("<b>bold</b>");
        await Expect(row.Locator("img, script, svg:not(.mud-icon-root), b")).ToHaveCountAsync(0);
        // Barrier: an image of the same missing address, asked for now, fails no sooner than one the row would have made;
        // once its error is in, a hostile onerror handler would have run (and opened a dialog).
        await grid.Page.EvaluateAsync("() => new Promise(done => { const probe = new Image(); probe.onerror = probe.onload = done; probe.src = 'x'; })");
        Assert.Empty(dialogs);
        await grid.Page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "nowonline-xss.png") });
    }

    [Fact]
    public async Task Sign_in_and_the_live_grid_work_under_the_content_security_policy()
    {
        var page = await browser.NewPageAsync();
        var violations = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase)) violations.Add(message.Text);
        };
        var grid = new OnlineGridPage(page, _app.BaseAddress);

        var first = await page.GotoAsync(new Uri(_app.BaseAddress, "/login").ToString());
        Assert.Equal(SecurityHeaders.ContentSecurityPolicy, await first!.HeaderValueAsync("content-security-policy"));
        await grid.OpenAsync();
        await _app.Storefront().PostEventAsync(new { type = "cart_add", sessionId = "csp-1", item = new { sku = "A", qty = 1 } });
        await Expect(grid.Row("v:csp-1")).ToBeVisibleAsync();

        Assert.Empty(violations);
    }

    [Fact]
    public async Task Every_page_with_its_drawer_menus_and_dialog_open_runs_without_a_policy_violation_or_console_error()
    {
        var context = await browser.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 820, Height = 1000 } });
        var page = await context.NewPatientPageAsync();
        var problems = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning" || message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
                problems.Add($"{page.Url} console {message.Type}: {message.Text}");
        };
        page.PageError += (_, error) => problems.Add($"{page.Url} page error: {error}");
        // The browser reports a violation as an event too, also for inline styles it refused.
        await page.AddInitScriptAsync("""
            window.__violations = [];
            document.addEventListener('securitypolicyviolation', e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
            """);
        async Task CollectViolationsAsync() => problems.AddRange((await page.EvaluateAsync<string[]>("window.__violations")).Select(v => $"{page.Url} violation: {v}"));

        var login = await page.GotoAsync(new Uri(_app.BaseAddress, "/login").ToString());
        Assert.Equal(SecurityHeaders.ContentSecurityPolicy, await login!.HeaderValueAsync("content-security-policy"));
        await new LoginPage(page).SubmitAsync("", "");
        await Expect(page.GetByText("Enter your email.")).ToBeVisibleAsync();
        await CollectViolationsAsync();
        await new LoginPage(page).SignInAsync(TestApp.AdminEmail, TestApp.AdminPassword);

        // At 820 px (the drawer overlays the page) the list is the card list, not the table.
        var grid = new OnlineGridPage(page, _app.BaseAddress);
        var cards = new OnlineCardsPage(page);
        await grid.OpenAsync();
        await _app.Storefront().PostEventAsync(new { type = "cart_add", sessionId = "csp-pages", item = new { sku = "A", qty = 1 } });
        await Expect(cards.Card("v:csp-pages")).ToBeVisibleAsync();
        await page.GetByTestId("nav-toggle").ClickAsync();
        await page.GetByTestId("nav-drawer").GetByRole(AriaRole.Button, new() { Name = "Toggle Stores" }).ClickAsync();
        await Expect(page.GetByTestId("nav-drawer").GetByRole(AriaRole.Button, new() { Name = "Toggle Settings" })).ToBeVisibleAsync();
        await page.Keyboard.PressAsync("Escape");
        await CollectViolationsAsync();

        var settings = new SettingsPage(page, _app.BaseAddress);
        await settings.OpenAsync();
        await page.GetByTestId("theme-menu").GetByRole(AriaRole.Button).ClickAsync();
        await page.GetByRole(AriaRole.Menuitem, new() { Name = "Dark" }).ClickAsync();
        await Expect(page.Locator("body")).ToHaveCSSAsync("background-color", "rgb(18, 20, 23)");
        await settings.SaveAsync(interval: "20");
        await Expect(settings.Notification).ToContainTextAsync("Configuration saved");
        await settings.Interval.FillAsync("30");
        await page.GetByTestId("nav-toggle").ClickAsync();
        await page.GetByTestId("nav-drawer").GetByRole(AriaRole.Link, new() { Name = "Now Online" }).ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Leave" }).ClickAsync();
        await Expect(cards.Card("v:csp-pages")).ToBeVisibleAsync();
        await CollectViolationsAsync();

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }
}
