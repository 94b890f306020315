namespace NowOnline.Tests.Support;

/// <summary>How a test hub client proves who it is: headers on every request and/or an <c>access_token</c> in the URL.</summary>
public sealed record HubCredentials(IReadOnlyDictionary<string, string> Headers, string? AccessToken)
{
    public static HubCredentials None { get; } = new(new Dictionary<string, string>(), null);

    public static HubCredentials ApiKeyHeader(string key = TestApp.ApiKey) => new(new Dictionary<string, string> { ["X-Api-Key"] = key }, null);

    /// <summary>What the official JavaScript client does in a browser with <c>accessTokenFactory</c>: Bearer on HTTP, <c>access_token</c> on the WebSocket.</summary>
    public static HubCredentials BrowserAccessToken(string key = TestApp.ApiKey) =>
        new(new Dictionary<string, string> { ["Authorization"] = $"Bearer {key}" }, key);

    /// <summary>Signs in through the real sign-in form and carries the admin cookie, as the admin's own browser would.</summary>
    public static async Task<HubCredentials> AdminCookieAsync(TestApp app, string email = TestApp.AdminEmail, string password = TestApp.AdminPassword)
    {
        var cookies = new System.Net.CookieContainer();
        using var client = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = app.BaseAddress };
        await client.SignInAsync(email, password);
        return new(new Dictionary<string, string> { ["Cookie"] = cookies.GetCookieHeader(app.BaseAddress) }, null);
    }

    /// <summary>Only the <c>access_token</c> query parameter, on negotiate and WebSocket alike.</summary>
    public static HubCredentials QueryOnly(string key = TestApp.ApiKey) => new(new Dictionary<string, string>(), key);
}
