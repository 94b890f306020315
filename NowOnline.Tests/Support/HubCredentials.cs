using System.Net;
using Microsoft.AspNetCore.Http.Connections.Client;

namespace NowOnline.Tests.Support;

/// <summary>How a hub client proves who it is, as options of the official SignalR client.</summary>
public sealed class HubCredentials
{
    private readonly Action<HttpConnectionOptions> _apply;
    private readonly string _name;

    private HubCredentials(string name, Action<HttpConnectionOptions> apply, string? accessTokenInUrl = null)
    {
        _name = name;
        _apply = apply;
        AccessTokenInUrl = accessTokenInUrl;
    }

    /// <summary>A key sent as <c>?access_token=</c> in the hub URL (negotiate, WebSocket and every poll).</summary>
    public string? AccessTokenInUrl { get; }

    public static HubCredentials None { get; } = new("none", _ => { });

    /// <summary>The storefront key as the <c>X-Api-Key</c> header, on negotiate and the transport alike.</summary>
    public static HubCredentials ApiKeyHeader(string key = TestApp.ApiKey) =>
        new("X-Api-Key header", options => options.Headers["X-Api-Key"] = key);

    /// <summary>The client's own <c>AccessTokenProvider</c>: <c>Authorization: Bearer</c> on every request.</summary>
    public static HubCredentials AccessTokenProvider(string key = TestApp.ApiKey) =>
        new("AccessTokenProvider", options => options.AccessTokenProvider = () => Task.FromResult<string?>(key));

    /// <summary>Only the <c>access_token</c> query parameter, as a browser's WebSocket has to send it.</summary>
    public static HubCredentials AccessTokenInQuery(string key = TestApp.ApiKey) => new("access_token query", _ => { }, key);

    /// <summary>Signs in through the real sign-in form and carries the admin cookie, as the admin's own browser would.</summary>
    public static async Task<HubCredentials> AdminCookieAsync(TestApp app, string email = TestApp.AdminEmail, string password = TestApp.AdminPassword)
    {
        var cookies = new CookieContainer();
        using var client = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = app.BaseAddress };
        await client.SignInAsync(email, password);
        return new("admin cookie", options => options.Cookies = cookies);
    }

    public void ApplyTo(HttpConnectionOptions options) => _apply(options);

    public override string ToString() => _name;
}
