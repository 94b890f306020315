using NowOnline.Tests.Support;
using NowOnline.Web.Security;

namespace NowOnline.Tests.Security;

/// <summary>The security headers on every kind of response, read from the responses of the shared API app.</summary>
[Collection(SharedApiApp.Name)]
public sealed class SecurityHeaderTests(SharedApp shared)
{
    private readonly TestApp _app = shared.App;

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

        var policy = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Equal(SecurityHeaders.ContentSecurityPolicy, policy);
        var directives = policy.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("frame-ancestors 'none'", directives);
        Assert.Contains("script-src 'self'", directives);
        Assert.Contains("object-src 'none'", directives);
        Assert.DoesNotContain("unsafe-eval", policy, StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
    }
}
