using System.Net;
using System.Net.Sockets;
using Microsoft.Playwright;
using NowOnline.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace NowOnline.Tests.Browser.Grid;

/// <summary>
/// An open grid comes back by itself: after a server restart (the old circuit is refused) it reloads at the same
/// address with its view, and after a dropped WebSocket it reconnects to its circuit; no click either way.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class GridReconnectTests(BrowserFixture browser) : IAsyncLifetime
{
    private TestApp _app = default!;

    // A fixed port, so the restarted app answers at the address the page has open.
    public async Task InitializeAsync() => _app = await TestApp.StartAsync(new Dictionary<string, string?> { ["urls"] = $"http://127.0.0.1:{FreePort()}" });

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Grid_open_through_a_server_restart_reloads_itself_with_its_view_and_shows_new_rows_live()
    {
        var grid = new OnlineGridPage(await browser.NewPageAsync(), _app.BaseAddress);
        await grid.OpenAsync("/customers/online?search=restart-kept&type=Visitor");
        await Post(new { type = "cart_add", sessionId = "v-restart-kept-1", item = new { sku = "A", qty = 1 } });
        await Expect(grid.Row("v:v-restart-kept-1")).ToBeVisibleAsync();
        var address = grid.Page.Url;

        await _app.RestartAsync();
        await Post(new { type = "cart_add", sessionId = "v-restart-kept-2", item = new { sku = "A", qty = 1 } });
        await Post(new { type = "cart_add", sessionId = "v-other-2", item = new { sku = "A", qty = 1 } });

        await Expect(grid.Row("v:v-restart-kept-2")).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await Expect(grid.LiveState).ToHaveAttributeAsync("data-state", "live");
        Assert.Equal(address, grid.Page.Url);
        await Expect(grid.Search).ToHaveValueAsync("restart-kept");
        await Expect(grid.Row("v:v-other-2")).ToHaveCountAsync(0);
        await Expect(grid.Page.GetByTestId("reconnect-notice")).ToBeHiddenAsync();
    }

    [Theory]
    [InlineData("light")]
    [InlineData("dark")]
    public async Task Dropped_websocket_shows_a_readable_notice_and_reconnects_to_the_same_page(string theme)
    {
        var page = await browser.NewPageAsync();
        await page.EmulateMediaAsync(new() { ColorScheme = theme == "dark" ? ColorScheme.Dark : ColorScheme.Light });
        IWebSocketRoute? current = null;
        var holdNew = false;
        var reconnecting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await page.RouteWebSocketAsync(new System.Text.RegularExpressions.Regex("/_blazor"), ws =>
        {
            if (holdNew)
            {
                // The network is still down: reconnect attempts are refused until the test lets them through.
                reconnecting.TrySetResult();
                _ = ws.CloseAsync();
                return;
            }

            current = ws;
            ws.ConnectToServer();
        });
        var grid = new OnlineGridPage(page, _app.BaseAddress);
        await grid.OpenAsync("/customers/online?search=drop-kept");
        await page.EvaluateAsync("() => window.__samePage = true");

        holdNew = true;
        await current!.CloseAsync();
        var notice = page.GetByTestId("reconnect-notice");
        await Expect(notice).ToBeVisibleAsync();
        await Expect(notice).ToContainTextAsync("Reconnecting");
        await Expect(grid.LiveState).ToHaveTextAsync("Reconnecting…");
        AssertReadable(await page.EvaluateAsync<string[]>(
            "() => { const s = getComputedStyle(document.getElementById('components-reconnect-modal')); return [s.color, s.backgroundColor]; }"), theme);
        await page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), $"nowonline-reconnecting-{theme}.png") });

        await reconnecting.Task.WaitAsync(TimeSpan.FromSeconds(30));
        holdNew = false;
        await Post(new { type = "cart_add", sessionId = "v-drop-kept-1", item = new { sku = "A", qty = 1 } });

        await Expect(grid.Row("v:v-drop-kept-1")).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await Expect(grid.LiveState).ToHaveAttributeAsync("data-state", "live");
        await Expect(notice).ToBeHiddenAsync();
        Assert.True(await page.EvaluateAsync<bool>("() => window.__samePage === true"), "the page was reloaded instead of reconnected");
    }

    private async Task Post(object body) => Assert.Equal(HttpStatusCode.Accepted, (await _app.Storefront().PostEventAsync(body)).StatusCode);

    // WCAG AA for normal text: a contrast ratio of at least 4.5 between the notice's text and its background.
    private static void AssertReadable(string[] colours, string theme)
    {
        var text = Luminance(colours[0]);
        var back = Luminance(colours[1]);
        var ratio = (Math.Max(text, back) + 0.05) / (Math.Min(text, back) + 0.05);
        Assert.True(ratio >= 4.5, $"{theme}: notice text {colours[0]} on {colours[1]} has contrast {ratio:0.00}");
    }

    private static double Luminance(string css)
    {
        var parts = css[(css.IndexOf('(') + 1)..css.IndexOf(')')].Split(',', StringSplitOptions.TrimEntries);
        Assert.True(parts.Length == 3 || double.Parse(parts[3], System.Globalization.CultureInfo.InvariantCulture) >= 0.99, $"{css} is see-through");
        double Channel(string value)
        {
            var c = double.Parse(value, System.Globalization.CultureInfo.InvariantCulture) / 255;
            return c <= 0.03928 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);
        }

        return 0.2126 * Channel(parts[0]) + 0.7152 * Channel(parts[1]) + 0.0722 * Channel(parts[2]);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
