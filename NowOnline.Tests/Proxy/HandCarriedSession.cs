using System.Net;
using System.Text.RegularExpressions;
using NowOnline.Tests.Support;

namespace NowOnline.Tests.Proxy;

/// <summary>
/// A browser-like session over an <see cref="HttpClient"/> that carries its cookies by hand: a cookie container would
/// not send a <c>Secure</c> cookie back over the plain HTTP the test speaks to the app behind a pretend proxy.
/// </summary>
public sealed class HandCarriedSession(HttpClient http, IReadOnlyDictionary<string, string>? headers = null) : IDisposable
{
    private readonly Dictionary<string, string> _cookies = new();

    public Task<HttpResponseMessage> GetAsync(string path) => SendAsync(new HttpRequestMessage(HttpMethod.Get, path));

    /// <summary>The sign-in form posted as a browser would, with the form's antiforgery cookie and token; asserts it succeeded.</summary>
    public async Task<HttpResponseMessage> SignInAsync()
    {
        var form = await GetAsync("/login");
        var token = Regex.Match(await form.Content.ReadAsStringAsync(), "name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"");
        Assert.True(token.Success, "the sign-in form carries an antiforgery token");
        var response = await SendAsync(new HttpRequestMessage(HttpMethod.Post, "/account/login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value),
                ["email"] = TestApp.AdminEmail,
                ["password"] = TestApp.AdminPassword,
            }),
        });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.DoesNotContain("/login", response.Headers.Location!.ToString());
        return response;
    }

    public static string[] SetCookies(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies.ToArray() : [];

    public void Dispose() => http.Dispose();

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request)
    {
        foreach (var (name, value) in headers ?? new Dictionary<string, string>()) request.Headers.Add(name, value);
        if (_cookies.Count > 0) request.Headers.Add("Cookie", string.Join("; ", _cookies.Select(c => $"{c.Key}={c.Value}")));
        var response = await http.SendAsync(request);
        foreach (var pair in SetCookies(response).Select(cookie => cookie.Split(';')[0].Split('=', 2)))
            _cookies[pair[0]] = pair[1];
        return response;
    }
}
