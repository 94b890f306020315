using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NowOnline.Tests.Support;
using NowOnline.Web;
using NowOnline.Web.Security;

namespace NowOnline.Tests.Proxy;

/// <summary>
/// X-Forwarded-For/-Proto/-Host as nginx sends them, from a trusted proxy and from anyone else. The test connects from
/// 127.0.0.1, trusted by default; <c>Proxy:TrustLoopback=false</c> makes that same connection an untrusted one.
/// </summary>
public sealed class ForwardedHeadersTests : IDisposable
{
    private const string Client = "203.0.113.7";
    private const string PublicHost = "nowonline.example";
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Https_forwarded_by_a_loopback_proxy_gives_secure_cookies_hsts_and_the_clients_address()
    {
        await using var app = await ProxiedApp.StartAsync(_folder);
        using var browser = app.Session(Forwarded());

        var login = await browser.GetAsync("/login");
        var signedIn = await browser.SignInAsync();
        using var anonymous = app.Session(Forwarded());
        var refused = await anonymous.GetAsync("/api/online");
        var toLogin = await anonymous.GetAsync("/customers/online");

        Assert.True(login.Headers.Contains("Strict-Transport-Security"), "HSTS over forwarded HTTPS");
        Assert.All(HandCarriedSession.SetCookies(login), cookie => Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase));
        Assert.Contains("secure", Assert.Single(HandCarriedSession.SetCookies(signedIn), c => c.StartsWith($"{SecurityPolicies.CookieName}=", StringComparison.Ordinal)),
            StringComparison.OrdinalIgnoreCase);
        Assert.StartsWith($"https://{PublicHost}/login", toLogin.Headers.Location!.ToString());
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        await Eventually.TrueAsync(() => app.Logs.Any(line => line.StartsWith("Refused GET /api/online: 401", StringComparison.Ordinal) && line.EndsWith($"(from {Client})", StringComparison.Ordinal)),
            "the refusal is logged with the forwarded client's address");
    }

    [Theory]
    [InlineData(null)] // nothing trusted at all
    [InlineData("192.0.2.10")] // another machine's proxy trusted, not this one
    public async Task Forwarded_headers_from_an_untrusted_address_change_nothing(string? otherProxy)
    {
        await using var app = otherProxy is null
            ? await ProxiedApp.StartAsync(_folder, ("Proxy:TrustLoopback", "false"))
            : await ProxiedApp.StartAsync(_folder, ("Proxy:TrustLoopback", "false"), ("Proxy:KnownProxies:0", otherProxy));
        using var browser = app.Session(Forwarded());

        var login = await browser.GetAsync("/login");
        var signedIn = await browser.SignInAsync();
        using var anonymous = app.Session(Forwarded());
        var toLogin = await anonymous.GetAsync("/customers/online");
        await anonymous.GetAsync("/api/online");

        Assert.False(login.Headers.Contains("Strict-Transport-Security"), "no HSTS over plain HTTP");
        Assert.NotEmpty(HandCarriedSession.SetCookies(login));
        Assert.All(HandCarriedSession.SetCookies(login).Concat(HandCarriedSession.SetCookies(signedIn)), cookie => Assert.DoesNotContain("secure", cookie, StringComparison.OrdinalIgnoreCase));
        Assert.StartsWith($"http://127.0.0.1:{app.BaseAddress.Port}/login", toLogin.Headers.Location!.ToString());
        await Eventually.TrueAsync(() => app.Logs.Any(line => line.StartsWith("Refused GET /api/online: 401", StringComparison.Ordinal) && line.EndsWith("(from 127.0.0.1)", StringComparison.Ordinal)),
            "the refusal is logged with the socket's own address");
        Assert.DoesNotContain(app.Logs, line => line.Contains(Client, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Proxy:KnownProxies:0", "127.0.0.1")]
    [InlineData("Proxy:KnownNetworks:0", "127.0.0.0/8")]
    public async Task Proxy_named_by_address_or_network_is_trusted_when_loopback_is_not(string key, string value)
    {
        await using var app = await ProxiedApp.StartAsync(_folder, ("Proxy:TrustLoopback", "false"), (key, value));
        using var browser = app.Session(Forwarded());

        var login = await browser.GetAsync("/login");

        Assert.True(login.Headers.Contains("Strict-Transport-Security"));
        Assert.All(HandCarriedSession.SetCookies(login), cookie => Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData("Proxy:KnownProxies:0", "nginx.internal")]
    [InlineData("Proxy:KnownProxies:0", "10.0.0.300")]
    [InlineData("Proxy:KnownNetworks:0", "10.0.0.0/33")]
    [InlineData("Proxy:KnownNetworks:0", "10.0.0.0")]
    public async Task Proxy_setting_that_is_not_an_address_stops_the_start_naming_the_key(string key, string value)
    {
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => ProxiedApp.StartAsync(_folder, (key, value)));

        Assert.Contains($"{key} is '{value}'", failure.Message);
    }

    private static Dictionary<string, string> Forwarded() => new()
    {
        ["X-Forwarded-For"] = Client,
        ["X-Forwarded-Proto"] = "https",
        ["X-Forwarded-Host"] = PublicHost,
    };

    /// <summary>The app on 127.0.0.1 with its log captured.</summary>
    private sealed class ProxiedApp : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly LogCapture _logs;

        private ProxiedApp(WebApplication app, LogCapture logs, Uri baseAddress)
        {
            _app = app;
            _logs = logs;
            BaseAddress = baseAddress;
        }

        public Uri BaseAddress { get; }

        public IEnumerable<string> Logs => _logs.Messages;

        public static async Task<ProxiedApp> StartAsync(TempFolder folder, params (string Key, string Value)[] settings)
        {
            var logs = new LogCapture();
            string[] args =
            [
                "--urls", "http://127.0.0.1:0", "--environment", "Production",
                $"--ConnectionStrings:NowOnline=Data Source={folder.File($"{Guid.NewGuid():N}.db")}",
                $"--Ingestion:ApiKeys:0={TestApp.ApiKey}", "--Simulator:Enabled=false",
                $"--Admin:Email={TestApp.AdminEmail}", $"--Admin:Password={TestApp.AdminPassword}",
                "--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:NowOnline.Web.Observability=Information",
                .. settings.Select(s => $"--{s.Key}={s.Value}"),
            ];
            var app = await NowOnlineApp.BuildAsync(args, builder => builder.Logging.AddProvider(logs));
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new ProxiedApp(app, logs, new Uri(address));
        }

        /// <summary>A session whose every request carries the headers nginx would add.</summary>
        public HandCarriedSession Session(IReadOnlyDictionary<string, string> headers) =>
            new(new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = BaseAddress }, headers);

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
