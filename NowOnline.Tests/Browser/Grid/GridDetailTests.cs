using NowOnline.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace NowOnline.Tests.Browser.Grid;

/// <summary>The details panel for shopping assistance, in real Chromium.</summary>
[Collection(BrowserCollection.Name)]
public sealed class GridDetailTests(BrowserFixture browser) : GridTestBase(browser)
{
    [Fact]
    public async Task Clicking_a_customer_row_shows_profile_sessions_timeline_and_cart()
    {
        var now = DateTimeOffset.UtcNow;
        await PostAsync(
            Login(42, "Ada", "Lovelace", "ada@example.com", "Analytical Ltd", "s-laptop", at: now.AddMinutes(-4)),
            CartAdd("s-laptop", sku: "WB-01", qty: 2, at: now.AddMinutes(-3)),
            new { type = "page_view", sessionId = "s-laptop", occurredAt = now.AddMinutes(-2), url = "https://shop.example/sale.html" },
            Login(42, "Ada", "Lovelace", "ada@example.com", "Analytical Ltd", "s-phone", at: now.AddMinutes(-1)),
            CartAdd("s-phone", sku: "TS-02", name: "T-shirt", at: now.AddSeconds(-30)));
        var grid = await OpenGridAsync();

        await grid.Row("c:42").ClickAsync();

        var panel = grid.DetailPanel;
        await Expect(panel.GetByTestId("detail-title")).ToHaveTextAsync("Ada Lovelace");
        await Expect(panel.GetByTestId("detail-profile")).ToContainTextAsync("ada@example.com");
        await Expect(panel.GetByTestId("detail-profile")).ToContainTextAsync("Analytical Ltd");
        await Expect(panel.GetByTestId("detail-sessions")).ToContainTextAsync("Live sessions (2)");
        await Expect(panel.Locator("[data-session='s-laptop']")).ToBeVisibleAsync();
        await Expect(panel.Locator("[data-session='s-phone']")).ToBeVisibleAsync();
        await Expect(panel.GetByTestId("detail-cart")).ToContainTextAsync("Cart (3 items)");
        await Expect(panel.GetByTestId("detail-cart")).ToContainTextAsync("T-shirt");
        // The row's session is the phone (most recent); its timeline is shown first.
        await Expect(panel.GetByTestId("detail-timeline").Locator("li")).ToHaveTextAsync([new System.Text.RegularExpressions.Regex("Added 1 × T-shirt"), new System.Text.RegularExpressions.Regex("Signed in")]);

        await panel.Locator("[data-session='s-laptop'] .session-pick").ClickAsync();

        await Expect(panel.GetByTestId("detail-timeline").Locator("li")).ToHaveCountAsync(3);
        await Expect(panel.GetByTestId("detail-timeline").Locator("li").First).ToContainTextAsync("Viewed");
        await Expect(panel.GetByTestId("detail-timeline")).ToContainTextAsync("Added 2 × Water bottle (WB-01)");
    }

    [Fact]
    public async Task Open_details_follow_live_changes_and_keep_the_cart_after_logout()
    {
        await PostAsync(Login(42, "Ada", "Lovelace", "ada@example.com", "Analytical Ltd", "s-1"), CartAdd("s-1", qty: 1));
        var grid = await OpenGridAsync();
        await grid.Row("c:42").ClickAsync();
        await Expect(grid.DetailPanel.GetByTestId("detail-cart")).ToContainTextAsync("Cart (1 item)");

        await PostAsync(CartAdd("s-1", qty: 4));
        await Expect(grid.DetailPanel.GetByTestId("detail-cart")).ToContainTextAsync("Cart (5 items)");
        await Expect(grid.Row("c:42")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("row-selected"));
        await PostAsync(new { type = "logout", sessionId = "s-1" });

        await Expect(grid.Row("c:42")).ToHaveCountAsync(0);
        await Expect(grid.DetailPanel.GetByTestId("detail-gone")).ToBeVisibleAsync();
        await Expect(grid.DetailPanel.GetByTestId("detail-cart")).ToContainTextAsync("Cart (5 items)");
        await Expect(grid.DetailPanel.GetByTestId("detail-timeline")).ToContainTextAsync("Signed out");
    }

    [Fact]
    public async Task Visitor_details_show_the_session_start_and_close_again()
    {
        var start = DateTimeOffset.UtcNow.AddMinutes(-5);
        await PostAsync(CartAdd("v-1", at: start), CartAdd("v-1", sku: "B-2", at: start.AddMinutes(2)));
        var grid = await OpenGridAsync(timeZone: "UTC");

        await grid.Row("v:v-1").ClickAsync();

        await Expect(grid.DetailPanel.GetByTestId("detail-title")).ToHaveTextAsync("Visitor");
        await Expect(grid.DetailPanel.GetByTestId("session-start"))
            .ToHaveTextAsync(start.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture));
        await Expect(grid.Row("v:v-1")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("row-selected"));
        await grid.DetailPanel.GetByTestId("detail-close").ClickAsync();
        await Expect(grid.DetailPanel).ToHaveCountAsync(0);
    }
}
