using System.Text.RegularExpressions;
using Microsoft.Playwright;
using NowOnline.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace NowOnline.Tests.Browser;

/// <summary>
/// What an admin types (or a password manager fills) the moment a page has loaded is never lost when the page becomes
/// interactive: the sign-in page is static HTML, and the interactive pages' fields take no typing until the circuit
/// runs. Holding the circuit's negotiation back makes "before the page is interactive" last as long as a test needs.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class TypedBeforeInteractiveTests(BrowserFixture browser) : IAsyncLifetime
{
    private TestApp _app = default!;

    public async Task InitializeAsync() => _app = await TestApp.StartAsync();

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Sign_in_filled_the_moment_the_page_has_loaded_reaches_the_grid_five_times_out_of_five()
    {
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            var page = await browser.NewPageAsync();
            await page.GotoAsync(new Uri(_app.BaseAddress, "/login").ToString(), new() { WaitUntil = WaitUntilState.Load });
            await page.GetByTestId("login-email").FillAsync(TestApp.AdminEmail);
            await page.GetByTestId("login-password").FillAsync(TestApp.AdminPassword);
            await page.GetByTestId("sign-in").ClickAsync();

            await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/customers/online", new() { Timeout = 20_000 });
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Now Online" })).ToBeVisibleAsync();
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task Values_typed_on_the_sign_in_page_are_still_there_after_its_interactive_parts_start()
    {
        var page = await browser.NewPageAsync();
        var circuit = await HoldCircuitAsync(page);
        await page.GotoAsync(new Uri(_app.BaseAddress, "/login").ToString(), new() { WaitUntil = WaitUntilState.Load });
        await page.GetByTestId("login-email").FillAsync(TestApp.AdminEmail);
        await page.GetByTestId("login-password").FillAsync(TestApp.AdminPassword);

        // An interactive render of the page would now replace the form with empty fields.
        circuit.SetResult();
        await page.GetByTestId("theme-resolved").WaitForAsync(new() { State = WaitForSelectorState.Attached });

        await Expect(page.GetByTestId("login-email")).ToHaveValueAsync(TestApp.AdminEmail);
        await Expect(page.GetByTestId("login-password")).ToHaveValueAsync(TestApp.AdminPassword);
        await page.GetByTestId("sign-in").ClickAsync();
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/customers/online");
    }

    [Fact]
    public async Task An_expired_sign_in_form_says_so_keeps_the_email_and_the_next_try_signs_in()
    {
        var page = await browser.NewPageAsync();
        await page.GotoAsync(new Uri(_app.BaseAddress, "/login").ToString());
        await page.GetByTestId("login-email").FillAsync(TestApp.AdminEmail);
        await page.GetByTestId("login-password").FillAsync(TestApp.AdminPassword);
        // As after the key ring rotated or the server's keys changed: the token no longer validates.
        await page.Locator("input[name='__RequestVerificationToken']").EvaluateAsync("input => input.value = 'expired'");
        await page.GetByTestId("sign-in").ClickAsync();

        await Expect(page.GetByTestId("login-error")).ToContainTextAsync("had expired");
        Assert.Equal("/login", new Uri(page.Url).AbsolutePath);
        await Expect(page.GetByTestId("login-email")).ToHaveValueAsync(TestApp.AdminEmail);
        await Expect(page.GetByTestId("login-password")).ToBeFocusedAsync();

        await page.GetByTestId("login-password").FillAsync(TestApp.AdminPassword);
        await page.GetByTestId("sign-in").ClickAsync();
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/customers/online");
    }

    [Fact]
    public async Task Settings_fields_take_no_typing_before_the_page_is_interactive_and_keep_what_is_typed_after()
    {
        var page = await browser.NewSignedInPageAsync(_app);
        var settings = new SettingsPage(page, _app.BaseAddress);
        var circuit = await HoldCircuitAsync(page);
        await page.GotoAsync(new Uri(_app.BaseAddress, SettingsPage.Path).ToString(), new() { WaitUntil = WaitUntilState.Load });

        await Expect(settings.Interval).ToBeDisabledAsync();
        await Expect(settings.Lifetime).ToBeDisabledAsync();
        await Expect(settings.SaveButton).ToBeDisabledAsync();

        circuit.SetResult();
        await settings.Interval.FillAsync("27");
        await settings.SaveButton.ClickAsync();

        await Expect(settings.Notification).ToContainTextAsync("Configuration saved");
        await Expect(settings.Interval).ToHaveValueAsync("27");
    }

    [Fact]
    public async Task Grid_search_takes_no_typing_before_the_page_is_interactive_and_applies_what_is_typed_after()
    {
        var page = await browser.NewSignedInPageAsync(_app);
        var grid = new OnlineGridPage(page, _app.BaseAddress);
        var circuit = await HoldCircuitAsync(page);
        await page.GotoAsync(new Uri(_app.BaseAddress, "/customers/online").ToString(), new() { WaitUntil = WaitUntilState.Load });

        await Expect(grid.Search).ToBeDisabledAsync();
        await Expect(grid.TypeSelect).ToBeDisabledAsync();

        circuit.SetResult();
        await grid.Search.FillAsync("typed-early");

        await page.WaitForURLAsync(url => url.Contains("search=typed-early", StringComparison.Ordinal));
        await Expect(grid.Search).ToHaveValueAsync("typed-early");
        await Expect(grid.Chip("search")).ToBeVisibleAsync();
    }

    /// <summary>Holds the page's circuit back (its SignalR negotiation) until the returned source is completed.</summary>
    private static async Task<TaskCompletionSource> HoldCircuitAsync(IPage page)
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await page.RouteAsync(new Regex("/_blazor/negotiate"), async route =>
        {
            await release.Task;
            await route.ContinueAsync();
        });
        return release;
    }
}
