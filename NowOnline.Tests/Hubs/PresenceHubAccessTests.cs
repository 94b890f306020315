using System.Net;
using Microsoft.AspNetCore.Http.Connections;
using NowOnline.Tests.Support;

namespace NowOnline.Tests.Hubs;

/// <summary>
/// Who may watch: a signed-in admin or a storefront key (header, Bearer or access_token), over WebSockets and long
/// polling alike — nobody anonymous, no wrong key. Through the official SignalR .NET client.
/// </summary>
[Collection(SharedHubApp.Name)]
public sealed class PresenceHubAccessTests(SharedApp shared)
{
    private readonly TestApp _app = shared.App;

    [Theory]
    [InlineData(HttpTransportType.WebSockets)]
    [InlineData(HttpTransportType.LongPolling)]
    public async Task Connection_without_credentials_is_refused(HttpTransportType transport)
    {
        var refused = await Assert.ThrowsAsync<HubRefusedException>(() =>
            PresenceSubscriber.ConnectAsync(_app.BaseAddress, HubCredentials.None, transport));

        Assert.Equal(HttpStatusCode.Unauthorized, refused.Status);
    }

    [Theory]
    [InlineData("header", HttpTransportType.WebSockets)]
    [InlineData("header", HttpTransportType.LongPolling)]
    [InlineData("bearer", HttpTransportType.WebSockets)]
    [InlineData("access_token", HttpTransportType.WebSockets)]
    [InlineData("access_token", HttpTransportType.LongPolling)]
    public async Task Connection_with_a_wrong_key_is_refused(string how, HttpTransportType transport)
    {
        var credentials = how switch
        {
            "header" => HubCredentials.ApiKeyHeader("not-the-key"),
            "bearer" => HubCredentials.AccessTokenProvider("not-the-key"),
            _ => HubCredentials.AccessTokenInQuery("not-the-key"),
        };

        var refused = await Assert.ThrowsAsync<HubRefusedException>(() => PresenceSubscriber.ConnectAsync(_app.BaseAddress, credentials, transport));

        Assert.Equal(HttpStatusCode.Unauthorized, refused.Status);
    }

    [Fact]
    public async Task WebSocket_without_the_key_is_refused_even_with_a_negotiated_connection_id()
    {
        // Negotiate carries the key (the client's headers); the WebSocket upgrade that follows carries none.
        var refused = await Assert.ThrowsAsync<HubRefusedException>(() =>
            PresenceSubscriber.ConnectAsync(_app.BaseAddress, HubCredentials.ApiKeyHeader(),
                configure: options => options.WebSocketFactory = PresenceSubscriber.WebSocketStatus()));

        Assert.Equal(HttpStatusCode.Unauthorized, refused.Status);
    }

    [Theory]
    [InlineData("header", HttpTransportType.WebSockets)]
    [InlineData("header", HttpTransportType.LongPolling)]
    [InlineData("bearer", HttpTransportType.WebSockets)]
    [InlineData("bearer", HttpTransportType.LongPolling)]
    [InlineData("access_token", HttpTransportType.WebSockets)]
    [InlineData("access_token", HttpTransportType.LongPolling)]
    public async Task Storefront_key_is_accepted_however_the_client_sends_it(string how, HttpTransportType transport)
    {
        var credentials = how switch
        {
            "header" => HubCredentials.ApiKeyHeader(),
            "bearer" => HubCredentials.AccessTokenProvider(),
            _ => HubCredentials.AccessTokenInQuery(),
        };
        await using var client = await PresenceSubscriber.ConnectAsync(_app.BaseAddress, credentials, transport);

        await client.SubscribeAsync(new { search = "nothing-is-online-with-this" });

        Assert.Equal(1, client.View.States);
    }

    [Fact]
    public async Task Browser_style_access_token_is_accepted_on_the_websocket()
    {
        // A browser cannot set headers on a WebSocket: Bearer on negotiate, only access_token on the upgrade.
        await using var client = await PresenceSubscriber.ConnectAsync(_app.BaseAddress, HubCredentials.AccessTokenProvider(),
            configure: options =>
            {
                var factory = PresenceSubscriber.WebSocketStatus();
                options.WebSocketFactory = (context, token) =>
                    factory(new Microsoft.AspNetCore.Http.Connections.Client.WebSocketConnectionContext(
                        new Uri($"{context.Uri}&access_token={Uri.EscapeDataString(TestApp.ApiKey)}"), context.Options), token);
            });

        await client.SubscribeAsync();

        Assert.Equal(1, client.View.States);
    }

    [Theory]
    [InlineData(HttpTransportType.WebSockets)]
    [InlineData(HttpTransportType.LongPolling)]
    public async Task Signed_in_admin_watches_with_the_admin_cookie(HttpTransportType transport)
    {
        var shop = StorefrontEvents.Tagged();
        var customer = StorefrontEvents.NewCustomerId();
        Assert.Equal(HttpStatusCode.Accepted, (await _app.Storefront().PostEventAsync(shop.Login("s-1", customer))).StatusCode);
        var credentials = await HubCredentials.AdminCookieAsync(_app);

        await using var client = await PresenceSubscriber.ConnectAsync(_app.BaseAddress, credentials, transport);
        await client.SubscribeAsync(new { search = shop.Tag });

        Assert.Equal([StorefrontEvents.CustomerKey(customer)], client.View.Keys);
    }

    [Fact]
    public async Task Wrong_admin_password_gives_no_cookie_and_the_hub_refuses()
    {
        var credentials = await HubCredentials.AdminCookieAsync(_app, password: "not-the-password");

        var refused = await Assert.ThrowsAsync<HubRefusedException>(() => PresenceSubscriber.ConnectAsync(_app.BaseAddress, credentials));

        Assert.Equal(HttpStatusCode.Unauthorized, refused.Status);
    }

    [Fact]
    public async Task Access_token_in_the_url_is_ignored_outside_the_hub()
    {
        var response = await _app.Anonymous().GetAsync($"/api/online?access_token={TestApp.ApiKey}");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
