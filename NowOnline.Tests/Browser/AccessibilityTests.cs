using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using NowOnline.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace NowOnline.Tests.Browser;

/// <summary>
/// axe-core (WCAG 2.1 A and AA rules) on the sign-in page, the settings page and the layout with its drawer, theme menu
/// and dialog open, in the light and the dark theme; and the keyboard: focus is visible and Escape closes what opened.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class AccessibilityTests(BrowserFixture browser) : IAsyncLifetime
{
    private static readonly string[] Wcag21AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
    private TestApp _app = default!;

    public async Task InitializeAsync() => _app = await TestApp.StartAsync();

    public async Task DisposeAsync() => await _app.DisposeAsync();

    public static TheoryData<string> Themes => new() { "light", "dark" };

    /// <summary>A page whose browser prefers <paramref name="theme"/>: the app follows it until the admin picks.</summary>
    private async Task<IPage> NewPageAsync(string theme, int width = 1280, int height = 800)
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height },
            ColorScheme = theme == "dark" ? ColorScheme.Dark : ColorScheme.Light,
        });
        var page = await context.NewPatientPageAsync();
        return page;
    }

    private async Task<IPage> SignedInAsync(string theme, int width = 1280, int height = 800)
    {
        var page = await NewPageAsync(theme, width, height);
        await page.GotoAsync(new Uri(_app.BaseAddress, "/login").ToString());
        await new LoginPage(page).SignInAsync(TestApp.AdminEmail, TestApp.AdminPassword);
        return page;
    }

    private async Task<SettingsPage> OpenSettingsAsync(string theme, int width = 1280, int height = 800)
    {
        var settings = new SettingsPage(await SignedInAsync(theme, width, height), _app.BaseAddress);
        await settings.OpenAsync();
        await ExpectThemeAsync(settings.Page, theme);
        return settings;
    }

    /// <summary>The theme has been applied (the circuit asked the browser for its preference).</summary>
    private static async Task ExpectThemeAsync(IPage page, string theme)
    {
        var background = theme == "dark" ? "rgb(18, 20, 23)" : "rgb(244, 246, 248)";
        await Expect(page.Locator("body")).ToHaveCSSAsync("background-color", background);
    }

    private static async Task AssertNoSeriousFindingsAsync(IPage page, string what)
    {
        // A form post re-renders the document (the sign-in page after a wrong password): wait until its <title> is back,
        // or axe may read the head mid-update and report a missing title once in a few hundred runs. A page that really has
        // no title still fails here, after the expectation's timeout.
        await Expect(page).ToHaveTitleAsync(new System.Text.RegularExpressions.Regex(@"\S"));
        // Let transitions (menus, the drawer, the dialog) finish, so colours are measured as the admin sees them.
        await page.EvaluateAsync("() => Promise.all(document.getAnimations().map(a => a.finished.catch(() => {})))");
        var result = await page.RunAxe(new AxeRunOptions { RunOnly = new RunOnlyOptions { Type = "tag", Values = [.. Wcag21AA] } });

        var serious = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(result.Passes.Length > 0, "axe ran no rule at all");
        Assert.True(serious.Count == 0, $"{what}:\n" + string.Join("\n", serious.Select(v =>
            $"{v.Impact} {v.Id}: {v.Help}\n    " + string.Join("\n    ", v.Nodes.Take(5).Select(n => $"{n.Target} {string.Join("; ", n.Any.Concat(n.All).Concat(n.None).Select(c => c.Message))}")))));
    }

    [Theory]
    [MemberData(nameof(Themes))]
    public async Task Sign_in_page_has_no_serious_findings_empty_with_field_messages_and_after_a_wrong_password(string theme)
    {
        var page = await NewPageAsync(theme);
        await page.GotoAsync(new Uri(_app.BaseAddress, "/login").ToString());
        var login = new LoginPage(page);
        await page.Locator("[data-testid='login-card'][data-ready='true']").WaitForAsync();
        await ExpectThemeAsync(page, theme);
        await Expect(page.GetByLabel("Email")).ToBeVisibleAsync();
        await Expect(page.GetByLabel("Password")).ToBeVisibleAsync();
        await AssertNoSeriousFindingsAsync(page, "sign-in page");

        await login.SubmitAsync("", "");
        await Expect(page.GetByText("Enter your password.")).ToBeVisibleAsync();
        await AssertNoSeriousFindingsAsync(page, "sign-in page with field messages");

        await login.SubmitAsync(TestApp.AdminEmail, "not-the-password");
        await Expect(login.Error).ToBeVisibleAsync();
        await ExpectThemeAsync(page, theme);
        await AssertNoSeriousFindingsAsync(page, "sign-in page after a wrong password");
    }

    [Theory]
    [MemberData(nameof(Themes))]
    public async Task Settings_page_has_no_serious_findings_with_history_an_error_a_snackbar_and_the_leave_dialog(string theme)
    {
        var settings = await OpenSettingsAsync(theme);
        await settings.SaveAsync(interval: theme == "dark" ? "25" : "20");
        await Expect(settings.Notification).ToContainTextAsync("Configuration saved");
        await Expect(settings.HistoryRows.First).ToBeVisibleAsync();
        await AssertNoSeriousFindingsAsync(settings.Page, "settings page with a confirmation and the history");

        await settings.Interval.FillAsync("1.5");
        await Expect(settings.IntervalError).ToBeVisibleAsync();
        await Expect(settings.Page.GetByTestId("settings-dirty")).ToBeVisibleAsync();
        await AssertNoSeriousFindingsAsync(settings.Page, "settings page with an invalid value");

        await settings.Page.GetByRole(AriaRole.Link, new() { Name = "Now Online", Exact = true }).ClickAsync();
        await Expect(settings.Page.GetByRole(AriaRole.Dialog)).ToContainTextAsync("Leave without saving?");
        await AssertNoSeriousFindingsAsync(settings.Page, "leave-without-saving dialog");
    }

    [Theory]
    [MemberData(nameof(Themes))]
    public async Task Layout_has_no_serious_findings_with_the_folded_drawer_open_and_with_the_theme_menu_open(string theme)
    {
        var settings = await OpenSettingsAsync(theme, width: 820, height: 1000);
        var page = settings.Page;
        var drawer = page.GetByTestId("nav-drawer");
        await Expect(drawer.GetByRole(AriaRole.Link, new() { Name = "Now Online" })).Not.ToBeInViewportAsync();

        await page.GetByTestId("nav-toggle").ClickAsync();
        await Expect(drawer.GetByRole(AriaRole.Link, new() { Name = "Online Customers Options" })).ToBeInViewportAsync();
        await AssertNoSeriousFindingsAsync(page, "layout with the navigation drawer open");
        await page.GetByTestId("nav-toggle").Or(page.Locator(".mud-overlay")).First.ClickAsync(new() { Force = true });

        await page.GetByTestId("theme-menu").GetByRole(AriaRole.Button).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Menu)).ToBeVisibleAsync();
        await AssertNoSeriousFindingsAsync(page, "layout with the theme menu open");
    }

    [Fact]
    public async Task Theme_menu_works_by_keyboard_alone_with_visible_focus_and_escape_closes_it()
    {
        var settings = await OpenSettingsAsync("light");
        var page = settings.Page;
        var themeButton = page.GetByTestId("theme-menu").GetByRole(AriaRole.Button);

        await TabToAsync(page, themeButton);
        Assert.True(await themeButton.EvaluateAsync<bool>("el => el.matches(':focus-visible') && getComputedStyle(el).outlineStyle !== 'none'"),
            "the focused theme button shows no focus ring");
        await page.Keyboard.PressAsync("Enter");
        var menu = page.GetByRole(AriaRole.Menu);
        await Expect(menu).ToBeVisibleAsync();
        await MoveToMenuItemAsync(page, "Light");
        await page.Keyboard.PressAsync("Escape");
        await Expect(menu).ToBeHiddenAsync();

        await themeButton.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(menu).ToBeVisibleAsync();
        await MoveToMenuItemAsync(page, "Dark");
        await page.Keyboard.PressAsync("Enter");
        await ExpectThemeAsync(page, "dark");
        await Expect(menu).ToBeHiddenAsync();
    }

    [Fact]
    public async Task After_picking_dark_the_next_page_arrives_dark_from_the_server_without_a_light_flash()
    {
        var settings = await OpenSettingsAsync("light");
        var page = settings.Page;
        await page.GetByTestId("theme-menu").GetByRole(AriaRole.Button).ClickAsync();
        await page.GetByTestId("theme-dark").ClickAsync();
        await ExpectThemeAsync(page, "dark");

        var reloaded = await page.ReloadAsync();

        // The HTML as the server sent it, before any script ran: already the dark palette.
        Assert.Contains("--mud-palette-background: rgba(18,20,23,1)", await reloaded!.TextAsync());
        await ExpectThemeAsync(page, "dark");
    }

    [Fact]
    public async Task Leave_dialog_closes_with_escape_and_keeps_the_edit()
    {
        var settings = await OpenSettingsAsync("light");
        await settings.Interval.FillAsync("30");
        await settings.Page.GetByRole(AriaRole.Link, new() { Name = "Now Online", Exact = true }).ClickAsync();
        var dialog = settings.Page.GetByRole(AriaRole.Dialog);
        await Expect(dialog).ToContainTextAsync("Leave without saving?");
        // The dialog has taken the focus (its focus trap is set up), so keys go to it.
        await settings.Page.WaitForFunctionAsync("() => document.querySelector('[role=dialog]')?.contains(document.activeElement)");

        await settings.Page.Keyboard.PressAsync("Escape");

        await Expect(dialog).ToHaveCountAsync(0);
        await Expect(settings.Interval).ToHaveValueAsync("30");
        Assert.EndsWith(SettingsPage.Path, settings.Page.Url);
    }

    [Fact]
    public async Task Sign_in_works_by_keyboard_alone()
    {
        var page = await NewPageAsync("light");
        await page.GotoAsync(new Uri(_app.BaseAddress, "/login").ToString());
        await page.Locator("[data-testid='login-card'][data-ready='true']").WaitForAsync();
        var email = page.GetByTestId("login-email");

        await TabToAsync(page, email);
        await page.Keyboard.TypeAsync(TestApp.AdminEmail);
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync(TestApp.AdminPassword);
        await page.Keyboard.PressAsync("Enter");

        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/customers/online");
    }

    /// <summary>
    /// Moves through the open menu with the arrow keys until <paramref name="item"/> has the focus. The menu starts taking
    /// keys a moment after it shows, so a press that arrives before is repeated (at most 20 presses).
    /// </summary>
    private static async Task MoveToMenuItemAsync(IPage page, string item)
    {
        for (var i = 0; i < 20; i++)
        {
            var focused = await page.EvaluateAsync<string?>("() => document.activeElement?.getAttribute('role') === 'menuitem' ? document.activeElement.textContent : null");
            if (focused?.Contains(item, StringComparison.Ordinal) == true) return;
            var before = focused;
            await page.Keyboard.PressAsync("ArrowDown");
            try
            {
                await page.WaitForFunctionAsync("before => document.activeElement?.getAttribute('role') === 'menuitem' && document.activeElement.textContent !== before",
                    before, new() { Timeout = 1000 });
            }
            catch (TimeoutException)
            {
                // The press came before the menu listened: press again.
            }
        }

        Assert.Fail($"The arrow keys never reached the menu item {item}.");
    }

    /// <summary>Presses Tab until <paramref name="target"/> has the focus (at most 30 times).</summary>
    private static async Task TabToAsync(IPage page, ILocator target)
    {
        for (var i = 0; i < 30; i++)
        {
            if (await target.EvaluateAsync<bool>("el => el === document.activeElement")) return;
            await page.Keyboard.PressAsync("Tab");
        }

        Assert.Fail("Tab never reached the element.");
    }
}
