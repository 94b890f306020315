using System.Net;
using Microsoft.Playwright;
using NowOnline.Core.Settings;
using NowOnline.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace NowOnline.Tests.Browser;

/// <summary>The Online Customers Options page in real Chromium against the real app.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SettingsPageTests(BrowserFixture browser) : IAsyncLifetime
{
    private TestApp _app = default!;

    public async Task InitializeAsync() => _app = await TestApp.StartAsync();

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private async Task<IPage> NewPageAsync() => await browser.NewSignedInPageAsync(_app);

    private async Task<SettingsPage> OpenSettingsAsync()
    {
        var settings = new SettingsPage(await NewPageAsync(), _app.BaseAddress);
        await settings.OpenAsync();
        return settings;
    }

    private async Task PostAsync(object body) =>
        Assert.Equal(HttpStatusCode.Accepted, (await _app.Storefront().PostEventAsync(body)).StatusCode);

    private static string ScreenshotPath(string name) =>
        Path.Combine(Environment.GetEnvironmentVariable("NOWONLINE_SCREENSHOTS") ?? Path.GetTempPath(), name);

    [Fact]
    public async Task Shorter_interval_saved_in_one_tab_drops_the_now_expired_sessions_from_another_tabs_grid_by_itself()
    {
        await PostAsync(new { type = "cart_add", sessionId = "idle-10", occurredAt = DateTimeOffset.UtcNow.AddMinutes(-10), item = new { sku = "A", qty = 1 } });
        await PostAsync(new { type = "cart_add", sessionId = "busy", item = new { sku = "A", qty = 1 } });
        var grid = new OnlineGridPage(await NewPageAsync(), _app.BaseAddress);
        await grid.OpenAsync();
        await Expect(grid.Row("v:idle-10")).ToBeVisibleAsync();
        await grid.Page.EvaluateAsync("window.__notReloaded = true");
        var settings = await OpenSettingsAsync();

        await settings.SaveAsync(interval: "5");

        await Expect(settings.Notification).ToContainTextAsync("Configuration saved");
        await Expect(grid.Row("v:idle-10")).ToHaveCountAsync(0);
        await Expect(grid.Row("v:busy")).ToBeVisibleAsync();
        await Expect(grid.Count).ToHaveTextAsync("1 online (0 customers, 1 visitor)");
        Assert.True(await grid.Page.EvaluateAsync<bool>("window.__notReloaded === true"));

        await settings.SaveAsync(interval: "15");

        await Expect(grid.Row("v:idle-10")).ToBeVisibleAsync();
        await Expect(grid.Count).ToHaveTextAsync("2 online (0 customers, 2 visitors)");
        Assert.True(await grid.Page.EvaluateAsync<bool>("window.__notReloaded === true"));
    }

    [Fact]
    public async Task Sidebar_leads_to_the_online_customers_options_through_the_store_admin_menu()
    {
        var page = await NewPageAsync();
        await new OnlineGridPage(page, _app.BaseAddress).OpenAsync();
        var settingsMenu = page.GetByTestId("nav-drawer");

        // Each group is a navigation landmark named after it; its own toggle comes first inside it.
        var group = settingsMenu;
        foreach (var item in new[] { "Stores", "Settings", "Configuration", "Customers", "Customer Configuration" })
        {
            group = group.GetByRole(AriaRole.Navigation, new() { Name = item, Exact = true });
            await group.GetByRole(AriaRole.Button, new() { Name = $"Toggle {item}", Exact = true }).First.ClickAsync();
        }

        await settingsMenu.GetByRole(AriaRole.Link, new() { Name = "Online Customers Options", Exact = true }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/config/customers/online$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Online Customers Options" })).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = ScreenshotPath("settings-menu.png") });
    }

    [Fact]
    public async Task Settings_page_needs_a_signed_in_admin()
    {
        var page = await browser.NewPageAsync();

        await page.GotoAsync(new Uri(_app.BaseAddress, SettingsPage.Path).ToString());

        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/login"));
        await Expect(page.GetByTestId("settings-form")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Bad_value_is_named_inline_and_saving_it_changes_nothing()
    {
        var settings = await OpenSettingsAsync();

        await settings.SaveAsync(interval: "1.5");

        await Expect(settings.IntervalError).ToContainTextAsync("Online Minutes Interval must be a whole number");
        await Expect(settings.Notification).ToContainTextAsync("nothing was saved");
        Assert.Equal(0, _app.Services.GetRequiredService<SettingsService>().Current.Version);
        await settings.Page.ScreenshotAsync(new() { Path = ScreenshotPath("settings-invalid.png"), FullPage = true });
    }

    [Fact]
    public async Task Leaving_with_unsaved_changes_asks_first()
    {
        var settings = await OpenSettingsAsync();
        await settings.Interval.FillAsync("30");

        await settings.Page.GetByRole(AriaRole.Link, new() { Name = "Now Online", Exact = true }).ClickAsync();
        var dialog = settings.Page.GetByRole(AriaRole.Dialog);
        await Expect(dialog).ToContainTextAsync("Leave without saving?");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Stay" }).ClickAsync();

        await Expect(settings.Interval).ToHaveValueAsync("30");
        Assert.EndsWith(SettingsPage.Path, settings.Page.Url);

        await settings.Page.GetByRole(AriaRole.Link, new() { Name = "Now Online", Exact = true }).ClickAsync();
        await settings.Page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Leave" }).ClickAsync();

        await Expect(settings.Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/customers/online$"));
        Assert.Equal(15, _app.Services.GetRequiredService<SettingsService>().Current.Settings.OnlineMinutesInterval);
    }

    [Fact]
    public async Task Reloading_with_unsaved_changes_asks_the_browser_first()
    {
        var settings = await OpenSettingsAsync();
        await settings.Interval.ClickAsync();
        await settings.Interval.FillAsync("30");
        await Expect(settings.Page.GetByTestId("settings-dirty")).ToBeVisibleAsync();
        // The browser's prompt is switched on after the render that showed the edit; a later render proves it arrived.
        await settings.Interval.FillAsync("3000");
        await Expect(settings.IntervalError).ToContainTextAsync("at most 1440");
        var asked = new TaskCompletionSource<string>();
        settings.Page.Dialog += async (_, dialog) =>
        {
            asked.TrySetResult(dialog.Type);
            await dialog.DismissAsync();
        };

        _ = settings.Page.ReloadAsync();

        Assert.Equal("beforeunload", await asked.Task.WaitAsync(TimeSpan.FromSeconds(15)));
    }

    [Fact]
    public async Task Saved_change_is_confirmed_and_listed_in_the_recent_history()
    {
        var settings = await OpenSettingsAsync();

        await settings.SaveAsync(interval: "20", lifetime: "");

        await Expect(settings.Notification).ToContainTextAsync("Configuration saved");
        await Expect(settings.HistoryRows).ToHaveCountAsync(1);
        await Expect(settings.HistoryRows.First).ToContainTextAsync("15 → 20");
        await Expect(settings.HistoryRows.First).ToContainTextAsync(TestApp.AdminEmail);
        await Expect(settings.Lifetime).ToHaveValueAsync("60");
        await settings.Page.ScreenshotAsync(new() { Path = ScreenshotPath("settings-saved.png"), FullPage = true });
    }

    [Fact]
    public async Task Two_admins_editing_at_once_the_second_is_told_who_saved_first()
    {
        var first = await OpenSettingsAsync();
        var second = await OpenSettingsAsync();
        await second.Interval.FillAsync("45");

        await first.SaveAsync(interval: "5");
        await Expect(second.Conflict).ToContainTextAsync("changed by");
        await second.SaveButton.ClickAsync();

        await Expect(second.Notification).ToContainTextAsync("Reload to see their values");
        Assert.Equal(5, _app.Services.GetRequiredService<SettingsService>().Current.Settings.OnlineMinutesInterval);
        await second.Page.GetByTestId("settings-reload").ClickAsync();
        await Expect(second.Interval).ToHaveValueAsync("5");
        await Expect(second.Conflict).ToHaveCountAsync(0);
    }
}
