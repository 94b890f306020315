using Microsoft.Playwright;
using NowOnline.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace NowOnline.Tests.Browser;

/// <summary>The API reference page (Scalar) in real Chromium, under its own Content-Security-Policy.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ApiReferenceTests(BrowserFixture browser) : IAsyncLifetime
{
    private TestApp _app = default!;

    public async Task InitializeAsync() => _app = await TestApp.StartAsync();

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Api_reference_renders_the_activity_endpoint_for_an_admin_without_a_blocked_script_or_an_outside_chat()
    {
        var page = await browser.NewSignedInPageAsync(_app);
        var refused = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error") lock (refused) refused.Add(message.Text);
        };

        await page.GotoAsync(new Uri(_app.BaseAddress, "/api-reference/").ToString());

        await Expect(page.GetByText("/api/activity").First).ToBeVisibleAsync();
        await Expect(page.GetByText("Ask AI")).ToHaveCountAsync(0); // Scalar's outside AI chat is switched off
        await page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "nowonline-api-reference.png") });
        lock (refused) Assert.DoesNotContain(refused, text => text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase));
    }
}
