using System.Net;
using NowOnline.Tests.Support;

namespace NowOnline.Tests.Hubs;

/// <summary>Who may watch: a signed-in admin or a storefront key (header, Bearer or access_token) — nobody anonymous, no wrong key.</summary>
public sealed class PresenceHubAccessTests : IAsyncLifetime
{
    private TestApp _app = default!;

    public async Task InitializeAsync() => _app = await TestApp.StartAsync();

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Connection_without_credentials_is_refused()
    {
        var refused = await Assert.ThrowsAsync<HubRefusedException>(() => HubTestClient.ConnectAsync(_app.BaseAddress, HubCredentials.None));

        Assert.Equal(HttpStatusCode.Unauthorized, refused.Status);
    }

    [Theory]
    [InlineData("header")]
    [InlineData("access_token")]
    public async Task Connection_with_a_wrong_key_is_refused(string how)
    {
        var credentials = how == "header" ? HubCredentials.ApiKeyHeader("not-the-key") : HubCredentials.QueryOnly("not-the-key");

        var refused = await Assert.ThrowsAsync<HubRefusedException>(() => HubTestClient.ConnectAsync(_app.BaseAddress, credentials));

        Assert.Equal(HttpStatusCode.Unauthorized, refused.Status);
    }

    [Fact]
    public async Task WebSocket_without_the_key_is_refused_even_with_a_negotiated_connection_id()
    {
        var refused = await Assert.ThrowsAsync<HubRefusedException>(() =>
            HubTestClient.ConnectAsync(_app.BaseAddress, HubCredentials.ApiKeyHeader(), webSocketCredentials: HubCredentials.None));

        Assert.Equal(HttpStatusCode.Unauthorized, refused.Status);
    }

    [Fact]
    public async Task Browser_style_access_token_is_accepted_on_the_websocket()
    {
        await using var client = await HubTestClient.ConnectAsync(_app.BaseAddress, HubCredentials.BrowserAccessToken());

        await client.SubscribeAsync();

        Assert.Equal(1, client.View.States);
    }

    [Fact]
    public async Task Signed_in_admin_watches_with_the_admin_cookie()
    {
        await _app.Storefront().PostEventAsync(StorefrontEvents.Login("s-1", 42));
        var credentials = await HubCredentials.AdminCookieAsync(_app);

        await using var client = await HubTestClient.ConnectAsync(_app.BaseAddress, credentials);
        await client.SubscribeAsync();

        Assert.Equal(["c:42"], client.View.Keys);
    }

    [Fact]
    public async Task Wrong_admin_password_gives_no_cookie_and_the_hub_refuses()
    {
        var credentials = await HubCredentials.AdminCookieAsync(_app, password: "not-the-password");

        var refused = await Assert.ThrowsAsync<HubRefusedException>(() => HubTestClient.ConnectAsync(_app.BaseAddress, credentials));

        Assert.Equal(HttpStatusCode.Unauthorized, refused.Status);
    }

    [Fact]
    public async Task Access_token_in_the_url_is_ignored_outside_the_hub()
    {
        var response = await _app.Anonymous().GetAsync($"/api/online?access_token={TestApp.ApiKey}");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
