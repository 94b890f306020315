using Microsoft.Playwright;

namespace NowOnline.Tests.Support;

/// <summary>
/// One headless Debian Chromium for the whole run, driven by Playwright (never "playwright install":
/// the machine has no outside network). Override the binary with NOWONLINE_CHROMIUM.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("NOWONLINE_CHROMIUM") ?? "/usr/bin/chromium",
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-quic", "--no-first-run",
            ],
        });
    }

    /// <summary>A fresh browser context (own cookies and storage) with one page.</summary>
    public async Task<IPage> NewPageAsync(string? timeZone = null)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1500, Height = 900 },
            TimezoneId = timeZone,
        });
        var page = await context.NewPatientPageAsync();
        return page;
    }

    /// <summary>A fresh page already signed in as the test app's admin (through the real /login form).</summary>
    public async Task<IPage> NewSignedInPageAsync(TestApp app, string? timeZone = null)
    {
        var page = await NewPageAsync(timeZone);
        await page.GotoAsync(new Uri(app.BaseAddress, "/login").ToString());
        await new NowOnline.Tests.Browser.LoginPage(page).SignInAsync(TestApp.AdminEmail, TestApp.AdminPassword);
        return page;
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
