using Microsoft.Playwright;

namespace NowOnline.Tests.Browser;

/// <summary>Page object for Stores › Settings › Configuration › Customers › Customer Configuration › Online Customers Options.</summary>
public sealed class SettingsPage(IPage page, Uri baseAddress)
{
    public const string Path = "/config/customers/online";

    public IPage Page => page;

    public ILocator Interval => page.GetByTestId("onlineMinutesInterval-input");

    public ILocator Lifetime => page.GetByTestId("customerDataLifetime-input");

    public ILocator IntervalError => page.Locator("#onlineMinutesInterval-error");

    public ILocator SaveButton => page.GetByTestId("save-config");

    public ILocator Notification => page.Locator(".mud-snackbar");

    public ILocator Conflict => page.GetByTestId("settings-conflict");

    public ILocator HistoryRows => page.Locator("[data-testid=settings-history] tbody tr");

    /// <summary>Opens the page and waits until it is interactive (the circuit has rendered the history).</summary>
    public async Task OpenAsync()
    {
        await page.GotoAsync(new Uri(baseAddress, Path).ToString());
        await WaitInteractiveAsync(page);
    }

    /// <summary>Blazor Server renders the page first without a circuit; typing before it connects would be lost.</summary>
    public static async Task WaitInteractiveAsync(IPage page) =>
        await page.Locator("[data-testid=settings-form][data-interactive=true]").WaitForAsync();

    public async Task SaveAsync(string? interval = null, string? lifetime = null)
    {
        if (interval is not null) await Interval.FillAsync(interval);
        if (lifetime is not null) await Lifetime.FillAsync(lifetime);
        await SaveButton.ClickAsync();
    }
}
