using NowOnline.Tests.Support;
using NowOnline.Web.Security;

namespace NowOnline.Tests.Security;

public sealed class SecurityHeaderTests : IAsyncLifetime
{
    private TestApp _app = default!;

    public async Task InitializeAsync() => _app = await TestApp.StartAsync();

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Theory]
    [InlineData("/login")]
    [InlineData("/customers/online")]
    [InlineData("/api/online")]
    [InlineData("/healthz")]
    [InlineData("/app.css")]
    public async Task Every_response_carries_the_security_headers(string path)
    {
        using var client = _app.CookieClient();

        var response = await client.GetAsync(path);

        Assert.Equal(SecurityHeaders.ContentSecurityPolicy, response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Contains("frame-ancestors 'none'", SecurityHeaders.ContentSecurityPolicy);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
    }
}
