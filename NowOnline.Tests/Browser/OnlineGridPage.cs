using Microsoft.Playwright;

namespace NowOnline.Tests.Browser;

/// <summary>Page object for Customers > Now Online.</summary>
public sealed class OnlineGridPage(IPage page, Uri baseAddress)
{
    public IPage Page => page;

    public ILocator Count => page.GetByTestId("online-count");

    public ILocator Rows => page.Locator(".online-grid tbody tr[data-key]");

    public ILocator Row(string key) => page.Locator($".online-grid tbody tr[data-key='{key}']");

    public ILocator LastActivity(string key) => Row(key).Locator(".last-activity");

    /// <summary>
    /// Opens the grid and waits until the live connection is up (the circuit is interactive). When the page lands on
    /// /login (not signed in yet), signs in as the test app's admin first.
    /// </summary>
    public async Task OpenAsync(string path = "/customers/online")
    {
        await page.GotoAsync(new Uri(baseAddress, path).ToString());
        if (new Uri(page.Url).AbsolutePath == "/login")
            await new LoginPage(page).SignInAsync(Support.TestApp.AdminEmail, Support.TestApp.AdminPassword);
        await page.Locator("[data-testid='live-state'][data-state='live']").WaitForAsync();
    }
}
