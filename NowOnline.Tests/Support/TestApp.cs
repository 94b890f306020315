using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Hosting.Server.Features;
using NowOnline.Web;

namespace NowOnline.Tests.Support;

/// <summary>
/// The real app on Kestrel at 127.0.0.1 on a free port, with its own SQLite file. Restartable on the same file.
/// </summary>
public sealed class TestApp : IAsyncDisposable
{
    public const string ApiKey = "test-storefront-key";

    /// <summary>The admin every test app starts with (Admin:Email / Admin:Password).</summary>
    public const string AdminEmail = "admin@nowonline.test";

    public const string AdminPassword = "Test-admin-password-1";
    private readonly TempFolder? _ownedFolder;
    private readonly Dictionary<string, string?> _settings;
    private readonly TimeProvider? _clock;
    private WebApplication? _app;

    private TestApp(string databasePath, TempFolder? ownedFolder, Dictionary<string, string?> settings, TimeProvider? clock)
    {
        DatabasePath = databasePath;
        _ownedFolder = ownedFolder;
        _settings = settings;
        _clock = clock;
    }

    public string DatabasePath { get; }

    public Uri BaseAddress { get; private set; } = default!;

    public IServiceProvider Services => _app?.Services ?? throw new InvalidOperationException("The app is not running.");

    /// <summary>
    /// Starts the app. <paramref name="settings"/> override configuration keys (e.g. "Presence:IgnoredUserAgents:0");
    /// <paramref name="clock"/> replaces the app's TimeProvider (e.g. a <see cref="FakeClock"/>).
    /// </summary>
    public static async Task<TestApp> StartAsync(IDictionary<string, string?>? settings = null, string? databasePath = null,
        TimeProvider? clock = null)
    {
        var folder = databasePath is null ? new TempFolder() : null;
        var app = new TestApp(databasePath ?? folder!.File("nowonline.db"), folder,
            new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>()), clock);
        await app.StartAsync();
        return app;
    }

    public async Task StartAsync()
    {
        var config = new Dictionary<string, string?>
        {
            ["ConnectionStrings:NowOnline"] = $"Data Source={DatabasePath}",
            ["Ingestion:ApiKeys:0"] = ApiKey,
            ["Admin:Email"] = AdminEmail,
            ["Admin:Password"] = AdminPassword,
            ["Simulator:Enabled"] = "false",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in _settings) config[key] = value;
        var args = new[] { "--urls", "http://127.0.0.1:0", "--environment", "Production" }
            .Concat(config.Select(pair => $"--{pair.Key}={pair.Value}")).ToArray();

        AppStarts.Record("in-process");
        _app = await NowOnlineApp.BuildAsync(args,
            builder => { if (_clock is not null) builder.Services.AddSingleton(_clock); });
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address);
    }

    /// <summary>Stops the app gracefully (the writer drains and checkpoints) and starts it again on the same file.</summary>
    public async Task RestartAsync()
    {
        await StopAsync();
        await StartAsync();
    }

    public async Task StopAsync()
    {
        if (_app is null) return;
        await _app.StopAsync();
        await _app.DisposeAsync();
        _app = null;
    }

    /// <summary>A client that sends the storefront key.</summary>
    public HttpClient Storefront()
    {
        var client = Anonymous();
        client.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
        return client;
    }

    public HttpClient Anonymous() => new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>A client that keeps cookies and does not follow redirects, so a test sees each answer.</summary>
    public HttpClient CookieClient() =>
        new(new HttpClientHandler { CookieContainer = new System.Net.CookieContainer(), AllowAutoRedirect = false, UseCookies = true })
        {
            BaseAddress = BaseAddress,
            Timeout = TimeSpan.FromSeconds(30),
        };

    /// <summary>A client signed in as an admin through the real sign-in form (it carries the admin cookie).</summary>
    public async Task<HttpClient> AdminClientAsync(string email = AdminEmail, string password = AdminPassword)
    {
        var client = CookieClient();
        var response = await client.SignInAsync(email, password);
        if (response.StatusCode != System.Net.HttpStatusCode.Redirect
            || response.Headers.Location?.OriginalString.StartsWith("/login", StringComparison.Ordinal) != false)
            throw new InvalidOperationException($"Admin sign-in failed: {(int)response.StatusCode} {response.Headers.Location}");
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _ownedFolder?.Dispose();
    }
}

public static class HttpClientExtensions
{
    /// <summary>Reads the antiforgery token from the sign-in page (the client must keep cookies).</summary>
    public static async Task<string> AntiforgeryTokenAsync(this HttpClient client, string page = "/login")
    {
        var html = await client.GetStringAsync(page);
        var match = System.Text.RegularExpressions.Regex.Match(html, "name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"");
        if (!match.Success) throw new InvalidOperationException($"No antiforgery token on {page}.");
        return System.Net.WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    /// <summary>Posts the sign-in form as a browser would (antiforgery token included).</summary>
    public static async Task<HttpResponseMessage> SignInAsync(this HttpClient client, string email, string password, string? returnUrl = null)
    {
        var token = await client.AntiforgeryTokenAsync();
        var fields = new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["email"] = email,
            ["password"] = password,
        };
        if (returnUrl is not null) fields["returnUrl"] = returnUrl;
        return await client.PostAsync("/account/login", new FormUrlEncodedContent(fields));
    }

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string path, string json) =>
        client.PostAsync(path, new StringContent(json, new MediaTypeHeaderValue("application/json")));

    public static Task<HttpResponseMessage> PostEventAsync(this HttpClient client, object body) =>
        client.PostAsJsonAsync("/api/activity", body);
}
