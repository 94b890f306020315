using System.Net;
using NowOnline.Tests.Support;

namespace NowOnline.Tests.Browser.Grid;

/// <summary>A fresh app per test, a storefront client and the grid opened in Chromium through the page object.</summary>
public abstract class GridTestBase(BrowserFixture browser) : IAsyncLifetime
{
    protected TestApp App { get; private set; } = default!;

    protected HttpClient Storefront { get; private set; } = default!;

    protected BrowserFixture Browser => browser;

    public async Task InitializeAsync()
    {
        App = await TestApp.StartAsync();
        Storefront = App.Storefront();
    }

    public async Task DisposeAsync() => await App.DisposeAsync();

    protected async Task<OnlineGridPage> OpenGridAsync(string path = "/customers/online", string? timeZone = null)
    {
        var grid = new OnlineGridPage(await browser.NewPageAsync(timeZone), App.BaseAddress);
        await grid.OpenAsync(path);
        return grid;
    }

    protected async Task PostAsync(params object[] events) =>
        Assert.Equal(HttpStatusCode.Accepted, (await Storefront.PostEventAsync(events)).StatusCode);

    protected static object Login(long id, string first, string last, string email, string company, string session,
        string store = "default", DateTimeOffset? at = null, string url = "https://shop.example/customer/account") =>
        new
        {
            type = "login", sessionId = session, occurredAt = at ?? DateTimeOffset.UtcNow, store, url,
            customer = new { id, firstName = first, lastName = last, email, company },
        };

    protected static object CartAdd(string session, string sku = "WB-01", int qty = 1, DateTimeOffset? at = null,
        string url = "https://shop.example/checkout/cart", string store = "default", string name = "Water bottle") =>
        new { type = "cart_add", sessionId = session, occurredAt = at ?? DateTimeOffset.UtcNow, url, store, item = new { sku, name, qty } };

    /// <summary>Three customers and two visitors, distinct in every column the filters look at.</summary>
    protected async Task SeedShopAsync()
    {
        var now = DateTimeOffset.UtcNow;
        await PostAsync(
            Login(42, "Ada", "Lovelace", "ada@example.com", "Analytical Ltd", "s-ada", at: now.AddSeconds(-50)),
            Login(43, "Grace", "Hopper", "grace@navy.example", "Cobol Systems", "s-grace", store: "fr", at: now.AddSeconds(-40)),
            Login(44, "Alan", "Turing", "alan@bletchley.example", "Bletchley Works", "s-alan", at: now.AddSeconds(-30),
                url: "https://shop.example/catalog/enigma.html"),
            CartAdd("v-1", at: now.AddSeconds(-20)),
            CartAdd("v-2", store: "fr", at: now.AddSeconds(-10), url: "https://shop.example/sale/boots.html"));
    }
}
