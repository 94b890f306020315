using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.Playwright;
using NowOnline.Tests.Browser;
using NowOnline.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace NowOnline.Tests.Deploy;

/// <summary>
/// Two nodes on one private PostgreSQL behind Debian's nginx running docs/deploy/nginx.conf with TLS (a self-signed
/// certificate): plain HTTP redirects to HTTPS, an admin signs in over HTTPS with a Secure cookie and HSTS, watches the
/// grid in Chromium with the Blazor circuit on a WebSocket to one node, saves a setting that both nodes then serve, an
/// outside client connects to the presence hub over a secure WebSocket through nginx, and /metrics stays private.
/// </summary>
public sealed class NginxTests(NginxCluster cluster) : IClassFixture<NginxCluster>
{
    private readonly StorefrontEvents _shop = StorefrontEvents.Tagged();

    [Fact]
    public async Task Admin_watches_the_live_grid_through_nginx_on_one_websocket_to_one_node()
    {
        var page = await cluster.NewPageAsync();
        var sockets = new List<IWebSocket>();
        page.WebSocket += (_, socket) => { lock (sockets) sockets.Add(socket); };
        var grid = new OnlineGridPage(page, cluster.Proxy.BaseAddress);

        await grid.OpenAsync(); // lands on /login through nginx, signs in, waits until the grid is live

        // The sign-in page had a circuit of its own; the grid's is the latest.
        IWebSocket[] circuits;
        lock (sockets) circuits = sockets.Where(s => s.Url.Contains("/_blazor", StringComparison.Ordinal)).ToArray();
        Assert.NotEmpty(circuits);
        var circuit = circuits[^1];
        Assert.StartsWith(new Uri(cluster.Proxy.BaseAddress, "/_blazor").ToString().Replace("https:", "wss:", StringComparison.Ordinal), circuit.Url);
        var route = (await page.Context.CookiesAsync()).Single(c => c.Name == "nowonline_route").Value;
        var node = cluster.NodeServing(route, "POST /_blazor/negotiate");
        var frames = 0;
        circuit.FrameReceived += (_, _) => Interlocked.Increment(ref frames);

        // An event on the circuit's node reaches the open grid through nginx's WebSocket.
        var customer = StorefrontEvents.NewCustomerId();
        var posted = await node.Storefront().PostEventAsync(_shop.Login("s-1", customer, "Nginx", "Proxied"));
        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);

        await Expect(grid.Row(StorefrontEvents.CustomerKey(customer))).ToBeVisibleAsync();
        Assert.False(circuit.IsClosed);
        Assert.True(Volatile.Read(ref frames) > 0, "the row came over the circuit's WebSocket");
        await Expect(page.Locator("#components-reconnect-modal")).ToBeHiddenAsync();
        await Expect(grid.LiveState).ToHaveAttributeAsync("data-state", "live");
        // Every request of this browser went to the same node (nginx logs a request when it ends; the socket is still open).
        var mine = cluster.Proxy.AccessLog().Where(line => line.Contains($"route={route} ", StringComparison.Ordinal)).ToList();
        Assert.Contains(mine, line => line.Contains("POST /account/login", StringComparison.Ordinal));
        Assert.Single(mine.Select(NginxCluster.Upstream).Distinct());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Setting_saved_in_the_browser_through_nginx_is_served_by_both_nodes()
    {
        var page = await cluster.NewPageAsync();
        await page.GotoAsync(new Uri(cluster.Proxy.BaseAddress, "/login").ToString());
        await new LoginPage(page).SignInAsync(TestApp.AdminEmail, TestApp.AdminPassword);
        var settings = new SettingsPage(page, cluster.Proxy.BaseAddress);
        await settings.OpenAsync();

        await settings.SaveAsync(interval: "23");

        await Expect(settings.Notification).ToContainTextAsync("Configuration saved");
        foreach (var node in new[] { cluster.A, cluster.B })
            await Eventually.TrueAsync(async () => await IntervalAsync(node.Storefront()) == 23, $"node {node.BaseAddress} serves the saved interval");
        using var throughNginx = cluster.Proxy.HttpsClient();
        throughNginx.DefaultRequestHeaders.Add("X-Api-Key", TestApp.ApiKey);
        Assert.Equal(23, await IntervalAsync(throughNginx));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Presence_hub_connects_through_nginx_over_a_websocket_and_receives_diffs()
    {
        await using var subscriber = await PresenceSubscriber.ConnectAsync(cluster.Proxy.BaseAddress, HubCredentials.ApiKeyHeader(),
            HttpTransportType.WebSockets, configure: cluster.TrustProxyCertificate);
        await subscriber.SubscribeAsync();
        var node = cluster.NodeServingHub();

        var customer = StorefrontEvents.NewCustomerId();
        var posted = await node.Storefront().PostEventAsync(_shop.Login("s-hub", customer));

        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        await subscriber.View.WaitUntilAsync(v => v.Has(StorefrontEvents.CustomerKey(customer)), what: "the login's row in a diff");
        Assert.Equal(Microsoft.AspNetCore.SignalR.Client.HubConnectionState.Connected, subscriber.Connection.State);
    }

    [Fact]
    public async Task Storefront_events_through_nginx_are_accepted_by_both_nodes()
    {
        using var storefront = cluster.Proxy.HttpsClient();
        storefront.DefaultRequestHeaders.Add("X-Api-Key", TestApp.ApiKey);
        var before = cluster.Proxy.AccessLog().Count;

        for (var i = 0; i < 10; i++)
        {
            var reply = await storefront.PostEventAsync(_shop.CartAdd($"spread-{i}"));
            Assert.Equal(HttpStatusCode.Accepted, reply.StatusCode);
        }

        await Eventually.TrueAsync(() => cluster.Proxy.AccessLog().Skip(before).Count(l => l.Contains("POST /api/activity", StringComparison.Ordinal)) == 10,
            "nginx logs the ten posts");
        var nodes = cluster.Proxy.AccessLog().Skip(before).Where(l => l.Contains("POST /api/activity", StringComparison.Ordinal))
            .Select(NginxCluster.Upstream).Distinct().Order().ToList();
        Assert.Equal(new[] { cluster.A.BaseAddress.Authority, cluster.B.BaseAddress.Authority }.Order().ToList(), nodes);
    }

    [Fact]
    public async Task Admin_signs_in_over_https_through_nginx_with_a_secure_cookie_and_hsts_and_plain_http_redirects()
    {
        using var plain = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = cluster.Proxy.PlainAddress };
        var redirected = await plain.GetAsync("/customers/online?x=1");
        using var browser = new NowOnline.Tests.Proxy.HandCarriedSession(cluster.Proxy.HttpsClient());

        var login = await browser.GetAsync("/login");
        var signedIn = await browser.SignInAsync();
        var grid = await browser.GetAsync("/customers/online");

        Assert.Equal(HttpStatusCode.MovedPermanently, redirected.StatusCode);
        Assert.Equal($"https://127.0.0.1:{cluster.Proxy.BaseAddress.Port}/customers/online?x=1", redirected.Headers.Location!.ToString());
        Assert.Contains("max-age=", string.Join(";", login.Headers.GetValues("Strict-Transport-Security")));
        var cookies = NowOnline.Tests.Proxy.HandCarriedSession.SetCookies(login).Concat(NowOnline.Tests.Proxy.HandCarriedSession.SetCookies(signedIn))
            .Where(c => !c.StartsWith("nowonline_route=", StringComparison.Ordinal)).ToList(); // nginx's own routing cookie
        Assert.Contains(cookies, c => c.StartsWith($"{NowOnline.Web.Security.SecurityPolicies.CookieName}=", StringComparison.Ordinal));
        Assert.All(cookies, c => Assert.Contains("; secure", c, StringComparison.OrdinalIgnoreCase));
        Assert.Equal(HttpStatusCode.OK, grid.StatusCode);
    }

    [Fact]
    public async Task Metrics_are_served_by_each_node_but_not_through_nginx()
    {
        using var node = cluster.A.Anonymous();
        using var throughNginx = cluster.Proxy.HttpsClient();

        var direct = await node.GetAsync("/metrics");
        var proxied = await throughNginx.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.OK, direct.StatusCode);
        Assert.Contains("nowonline_", await direct.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, proxied.StatusCode);
        Assert.DoesNotContain("nowonline_", await proxied.Content.ReadAsStringAsync());
    }

    private static async Task<int> IntervalAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<JsonElement>("/api/settings")).GetProperty("onlineMinutesInterval").GetInt32();
}

/// <summary>One private PostgreSQL, two nodes on it, nginx in front and a Chromium, shared by the tests of a class.</summary>
public sealed partial class NginxCluster : IAsyncLifetime
{
    private readonly PostgresServer _postgres = new();
    private readonly TempFolder _folder = new();
    private readonly BrowserFixture _browser = new();

    public TestApp A { get; private set; } = default!;

    public TestApp B { get; private set; } = default!;

    public NginxProxy Proxy { get; private set; } = default!;

    /// <summary>A page in a fresh context that accepts the proxy's self-signed certificate.</summary>
    public async Task<IPage> NewPageAsync()
    {
        var context = await _browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1500, Height = 900 },
            IgnoreHTTPSErrors = true,
        });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(15_000);
        return page;
    }

    /// <summary>Hub client options that trust exactly the proxy's certificate (negotiate and WebSocket).</summary>
    public void TrustProxyCertificate(Microsoft.AspNetCore.Http.Connections.Client.HttpConnectionOptions options)
    {
        var expected = Proxy.CertificateHash;
        options.HttpMessageHandlerFactory = handler =>
        {
            if (handler is HttpClientHandler client)
                client.ServerCertificateCustomValidationCallback = (_, presented, _, _) => presented?.GetCertHashString() == expected;
            return handler;
        };
        options.WebSocketConfiguration = socket =>
            socket.RemoteCertificateValidationCallback = (_, presented, _, _) => presented?.GetCertHashString() == expected;
    }

    public async Task InitializeAsync()
    {
        await _postgres.InitializeAsync();
        var database = await _postgres.CreateDatabaseAsync();
        A = await StartNodeAsync("a", database);
        B = await StartNodeAsync("b", database);
        Proxy = await NginxProxy.StartAsync(A.BaseAddress, B.BaseAddress);
        await _browser.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        if (Proxy is not null) await Proxy.DisposeAsync();
        if (A is not null) await A.DisposeAsync();
        if (B is not null) await B.DisposeAsync();
        await _postgres.DisposeAsync();
        _folder.Dispose();
    }

    /// <summary>The node nginx sent the browser's <paramref name="request"/> (e.g. "POST /_blazor/negotiate") to.</summary>
    public TestApp NodeServing(string route, string request)
    {
        var line = Proxy.AccessLog().LastOrDefault(l => l.Contains(request, StringComparison.Ordinal) && l.Contains($"route={route} ", StringComparison.Ordinal))
                   ?? throw new InvalidOperationException($"nginx logged no '{request}' for route {route}:\n{string.Join('\n', Proxy.AccessLog())}");
        return Node(Upstream(line));
    }

    /// <summary>The node of the latest hub negotiation (the hub's WebSocket follows it there: same route cookie).</summary>
    public TestApp NodeServingHub()
    {
        var line = Proxy.AccessLog().Last(l => l.Contains("POST /hubs/presence/negotiate", StringComparison.Ordinal));
        return Node(Upstream(line));
    }

    /// <summary>"127.0.0.1:PORT" from an access log line.</summary>
    public static string Upstream(string line) => UpstreamField().Match(line).Groups[1].Value;

    private TestApp Node(string upstream) =>
        upstream == A.BaseAddress.Authority ? A
        : upstream == B.BaseAddress.Authority ? B
        : throw new InvalidOperationException($"nginx named an unknown node '{upstream}'.");

    private async Task<TestApp> StartNodeAsync(string name, string database) =>
        await TestApp.StartAsync(new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "PostgreSql",
            ["ConnectionStrings:NowOnline"] = database,
            ["Storage:NodeDatabase"] = $"Data Source={_folder.File($"{name}.db")}",
            ["Metrics:Enabled"] = "true", // served on each node's own port; nginx must keep it off the public side
        }, databasePath: _folder.File($"{name}.unused.db"));

    [GeneratedRegex(@" upstream=(\S+) ")]
    private static partial Regex UpstreamField();
}
