using System.Net.Http.Json;
using Microsoft.Playwright;
using NowOnline.Bench.Shared;

namespace NowOnline.Load;

/// <summary>
/// Real browser figure: an event is posted, and a MutationObserver in the open grid notes (Date.now()) when the row with
/// that key appears. Both sides read the same system clock, so seen - posted is the end-to-end time in milliseconds.
/// </summary>
public static class BrowserProbe
{
    private const string Observer = """
        () => {
          window.__seen = {};
          const mark = () => {
            for (const cell of document.querySelectorAll('td[data-key]')) {
              const key = cell.getAttribute('data-key');
              if (!(key in window.__seen)) window.__seen[key] = Date.now();
            }
          };
          new MutationObserver(mark).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-key'] });
          mark();
        }
        """;

    public static async Task<(Latency Latency, int Missed, string? Error)> RunAsync(Uri app, string apiKey, string adminEmail, string adminPassword,
        int samples, string screenshot)
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("NOWONLINE_CHROMIUM") ?? "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--disable-quic", "--no-first-run"],
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1500, Height = 900 } });
        page.SetDefaultTimeout(20_000);
        await page.GotoAsync(new Uri(app, "/customers/online").ToString());
        if (new Uri(page.Url).AbsolutePath == "/login")
        {
            // The grid sits behind the admin sign-in (same page object steps as the browser tests).
            await page.Locator("[data-testid='login-card'][data-ready='true']").WaitForAsync();
            await page.GetByTestId("login-email").FillAsync(adminEmail);
            await page.GetByTestId("login-password").FillAsync(adminPassword);
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            await page.WaitForURLAsync(url => new Uri(url).AbsolutePath != "/login");
        }

        await page.Locator("[data-testid='live-state'][data-state='live']").WaitForAsync();
        await page.EvaluateAsync(Observer);

        using var http = new HttpClient { BaseAddress = app };
        http.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        var latency = new Latency();
        var missed = 0;
        string? error = null;
        var run = Guid.NewGuid().ToString("N")[..6];
        for (var i = 0; i < samples; i++)
        {
            var sessionId = $"browser-{run}-{i}";
            var key = $"v:{sessionId}";
            var posted = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            var response = await http.PostAsJsonAsync("/api/activity", new
            {
                type = "cart_add", sessionId, url = "https://shop.example/checkout/cart",
                item = new { sku = "WB-01", name = "Water bottle", qty = 1 },
            });
            if ((int)response.StatusCode != 202)
            {
                error ??= $"POST answered {(int)response.StatusCode}";
                missed++;
                continue;
            }

            try
            {
                await page.WaitForFunctionAsync("k => window.__seen[k] !== undefined", key, new PageWaitForFunctionOptions { Timeout = 10_000 });
                var seen = await page.EvaluateAsync<long>("k => window.__seen[k]", key);
                latency.Record((long)((seen - posted) / 1000.0 * System.Diagnostics.Stopwatch.Frequency));
            }
            catch (TimeoutException)
            {
                missed++;
            }

            await Task.Delay(150 + i % 7 * 37); // do not fall into step with the grid's refresh cadence
        }

        await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot });
        return (latency, missed, error);
    }
}
