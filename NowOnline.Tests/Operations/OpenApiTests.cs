using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using NowOnline.Tests.Support;

namespace NowOnline.Tests.Operations;

/// <summary>GET /openapi/v1.json describes every /api endpoint of the routing table; the reference page is for admins.</summary>
public sealed class OpenApiTests : IAsyncLifetime
{
    private TestApp _app = default!;

    public async Task InitializeAsync() => _app = await TestApp.StartAsync();

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private async Task<JsonElement> DocumentAsync()
    {
        var response = await _app.Anonymous().GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    private List<(string Path, string Method)> ApiRoutes() =>
        _app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => (Path: "/" + e.RoutePattern.RawText!.TrimStart('/'), Methods: e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.IHttpMethodMetadata>()?.HttpMethods ?? ["GET"]))
            .Where(e => e.Path.StartsWith("/api/", StringComparison.Ordinal))
            .SelectMany(e => e.Methods.Select(m => (Regex.Replace(e.Path, "\\{([^}:=?]+)[^}]*\\}", "{$1}"), m.ToLowerInvariant())))
            .ToList();

    [Fact]
    public async Task Document_describes_every_api_endpoint_in_the_routing_table()
    {
        var paths = (await DocumentAsync()).GetProperty("paths");
        var routes = ApiRoutes();
        Assert.True(routes.Count >= 9, $"the routing table has the API's endpoints ({routes.Count})");

        foreach (var (path, method) in routes)
        {
            Assert.True(paths.TryGetProperty(path, out var item), $"{path} is in the document");
            Assert.True(item.TryGetProperty(method, out var operation), $"{method.ToUpperInvariant()} {path} is in the document");
            Assert.True(operation.GetProperty("responses").EnumerateObject().Any(r => r.Name.StartsWith('2')), $"{method} {path} has a success reply");
            Assert.True(operation.GetProperty("responses").TryGetProperty("401", out _), $"{method} {path} says it can answer 401");
            Assert.True(operation.TryGetProperty("security", out var security) && security.GetArrayLength() > 0, $"{method} {path} names its security");
            if (method is "post" or "put")
                Assert.True(operation.TryGetProperty("requestBody", out _), $"{method} {path} describes its body");
        }
    }

    [Fact]
    public async Task Document_declares_the_key_header_and_shows_schemas_and_examples()
    {
        var document = await DocumentAsync();

        var key = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("ApiKey");
        Assert.Equal("apiKey", key.GetProperty("type").GetString());
        Assert.Equal("header", key.GetProperty("in").GetString());
        Assert.Equal("X-Api-Key", key.GetProperty("name").GetString());

        var post = document.GetProperty("paths").GetProperty("/api/activity").GetProperty("post");
        var body = post.GetProperty("requestBody").GetProperty("content").GetProperty("application/json");
        Assert.Equal(2, body.GetProperty("schema").GetProperty("oneOf").GetArrayLength()); // one event, or a batch
        Assert.Equal("login", body.GetProperty("example")[0].GetProperty("type").GetString());
        foreach (var status in new[] { "202", "400", "401", "413", "429", "503" })
            Assert.True(post.GetProperty("responses").TryGetProperty(status, out _), $"POST /api/activity documents {status}");

        var eventSchema = body.GetProperty("schema").GetProperty("oneOf")[0].GetProperty("properties");
        Assert.True(eventSchema.TryGetProperty("sessionId", out _));
        Assert.True(eventSchema.TryGetProperty("customer", out _));
        var online = document.GetProperty("paths").GetProperty("/api/online").GetProperty("get");
        Assert.Contains(online.GetProperty("parameters").EnumerateArray(), p => p.GetProperty("name").GetString() == "sort");
    }

    [Fact]
    public async Task Api_reference_opens_for_admins_only_with_a_nonce_policy_of_its_own()
    {
        using var anonymous = _app.CookieClient();
        var refused = await anonymous.GetAsync("/api-reference/");
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.StartsWith("/login?returnUrl=", refused.Headers.Location!.PathAndQuery);

        using var storefront = _app.CookieClient();
        storefront.DefaultRequestHeaders.Add("X-Api-Key", TestApp.ApiKey);
        Assert.Equal(HttpStatusCode.Redirect, (await storefront.GetAsync("/api-reference/")).StatusCode);

        using var admin = await _app.AdminClientAsync();
        var page = await admin.GetAsync("/api-reference/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        var policy = string.Join(";", page.Headers.GetValues("Content-Security-Policy"));
        var nonce = Regex.Match(policy, "'nonce-([^']+)'").Groups[1].Value;
        Assert.False(string.IsNullOrEmpty(nonce), $"the page's policy carries a nonce: {policy}");
        Assert.Contains($"nonce=\"{nonce}\"", html);
        Assert.DoesNotContain("unsafe-inline", Regex.Match(policy, "script-src[^;]*").Value);

        // The rest of the app keeps the strict policy.
        var login = await anonymous.GetAsync("/login");
        Assert.DoesNotContain("nonce-", string.Join(";", login.Headers.GetValues("Content-Security-Policy")));
    }
}
