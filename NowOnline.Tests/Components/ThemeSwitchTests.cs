using Bunit;
using Bunit.TestDoubles;
using MudBlazor;
using MudBlazor.Services;
using NowOnline.Web.Components.Layout;

namespace NowOnline.Tests.Components;

/// <summary>The app bar's light / dark switch: follows the device until the admin picks, and remembers the pick per admin.</summary>
public sealed class ThemeSwitchTests : BunitContext, IAsyncLifetime
{
    private const string Admin = "Ada@Example.com";
    private static readonly string Key = ShellTheme.StorageKey(Admin);

    // The dark palette's background (#121417) as MudThemeProvider writes it.
    private const string DarkBackground = "--mud-palette-background: rgba(18,20,23,1)";

    public ThemeSwitchTests()
    {
        Services.AddMudServices();
        JSInterop.Mode = JSRuntimeMode.Loose;
        this.AddAuthorization().SetAuthorized(Admin);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    // MudBlazor's popover services can only be disposed asynchronously.
    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    private IRenderedComponent<ShellTheme> RenderShell() =>
        Render<ShellTheme>(parameters => parameters.AddChildContent<ThemeMenu>());

    private void Pick(IRenderedComponent<ShellTheme> shell, IRenderedComponent<MudPopoverProvider> popovers, string choice)
    {
        shell.Find("[data-testid=theme-menu] button").Click();
        popovers.WaitForElement($"[data-testid=theme-{choice}]").Click();
    }

    private static string ThemeStyle(IRenderedComponent<ShellTheme> shell) => string.Concat(shell.FindAll("style").Select(style => style.TextContent));

    [Fact]
    public void Picking_dark_turns_the_page_dark_and_stores_the_pick_under_this_admins_key()
    {
        var popovers = Render<MudPopoverProvider>();
        var shell = RenderShell();
        Assert.DoesNotContain(DarkBackground, ThemeStyle(shell));

        Pick(shell, popovers, "dark");

        shell.WaitForAssertion(() => Assert.Contains(DarkBackground, ThemeStyle(shell)));
        Assert.Equal("nowOnline.theme:ada@example.com", Key);
        var stored = Assert.Single(JSInterop.Invocations, i => i.Identifier == "nowOnlineShell.theme.set");
        Assert.Equal([Key, "dark"], stored.Arguments);
        Assert.Equal("Theme: Dark", shell.Find("[data-testid=theme-menu] button").GetAttribute("aria-label"));
    }

    [Fact]
    public void The_theme_shown_is_remembered_for_the_next_pages_first_paint()
    {
        JSInterop.Setup<bool>("mudThemeProvider.isDarkMode").SetResult(true);
        var popovers = Render<MudPopoverProvider>();

        var shell = RenderShell();

        shell.WaitForAssertion(() => Assert.Equal([true], JSInterop.Invocations.Last(i => i.Identifier == "nowOnlineShell.theme.shown").Arguments));
        Pick(shell, popovers, "light");
        shell.WaitForAssertion(() => Assert.Equal([false], JSInterop.Invocations.Last(i => i.Identifier == "nowOnlineShell.theme.shown").Arguments));
    }

    [Fact]
    public void Stored_pick_is_applied_when_the_admin_comes_back()
    {
        JSInterop.Setup<string?>("nowOnlineShell.theme.get", Key).SetResult("dark");

        var shell = RenderShell();

        shell.WaitForAssertion(() => Assert.Contains(DarkBackground, ThemeStyle(shell)));
        Assert.Equal(ThemeChoice.Dark, shell.Instance.Choice);
    }

    [Fact]
    public void Without_a_pick_the_theme_follows_the_devices_dark_preference()
    {
        JSInterop.Setup<bool>("mudThemeProvider.isDarkMode").SetResult(true);

        var shell = RenderShell();

        shell.WaitForAssertion(() => Assert.Contains(DarkBackground, ThemeStyle(shell)));
        Assert.Equal(ThemeChoice.System, shell.Instance.Choice);
    }

    [Fact]
    public void Picking_light_on_a_dark_device_wins_and_going_back_to_the_device_forgets_the_pick()
    {
        JSInterop.Setup<bool>("mudThemeProvider.isDarkMode").SetResult(true);
        var popovers = Render<MudPopoverProvider>();
        var shell = RenderShell();
        shell.WaitForAssertion(() => Assert.Contains(DarkBackground, ThemeStyle(shell)));

        Pick(shell, popovers, "light");
        shell.WaitForAssertion(() => Assert.DoesNotContain(DarkBackground, ThemeStyle(shell)));
        Pick(shell, popovers, "system");

        shell.WaitForAssertion(() => Assert.Contains(DarkBackground, ThemeStyle(shell)));
        var stored = JSInterop.Invocations.Where(i => i.Identifier == "nowOnlineShell.theme.set").Select(i => i.Arguments[1]).ToList();
        Assert.Equal(["light", null], stored);
    }
}
