using System.Net;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.AspNetCore.Routing;
using NowOnline.Tests.Support;

namespace NowOnline.Tests.Security;

/// <summary>
/// Every endpoint of the running app (read from its routing table, so endpoints added later are covered too) is
/// refused without sign-in or with a wrong key: pages redirect to /login, the API and hubs answer 401.
/// </summary>
[Collection(SharedApiApp.Name)]
public sealed class AccessTests(SharedApp shared)
{
    // Open on purpose: sign-in itself, health probes, the root redirect, the API description and metrics (no data of
    // anyone; /metrics only when Metrics:Enabled), and Blazor's own script and circuit endpoints (inside a circuit,
    // AuthorizeRouteView sends a visitor who is not signed in to /login).
    private static readonly string[] OpenPatterns =
        ["/", "/healthz", "/healthz/", "/login", "/account/login", "/account/logout", "/openapi/v1.json", "/metrics", "/_framework/", "/_blazor"];

    private readonly TestApp _app = shared.App;

    private sealed record Route(string Pattern, string Method, bool IsPage);

    private List<Route> ProtectedRoutes()
    {
        var routes = new List<Route>();
        foreach (var endpoint in _app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var pattern = "/" + endpoint.RoutePattern.RawText!.TrimStart('/');
            if (OpenPatterns.Any(open => pattern == open || (open.EndsWith('/') || open == "/_blazor") && pattern.StartsWith(open, StringComparison.Ordinal) && open != "/"))
                continue;
            // Pages redirect to /login; the API, the hubs and the CSV download answer 401 (a download must not save the sign-in page).
            var isPage = endpoint.Metadata.GetMetadata<ComponentTypeMetadata>() is not null || !IsApi(pattern);
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"];
            var isComponent = endpoint.Metadata.GetMetadata<ComponentTypeMetadata>() is not null;
            foreach (var method in methods.Where(m => !isComponent || m == "GET")) routes.Add(new Route(Concrete(endpoint), method, isPage));
        }

        return routes;
    }

    private static bool IsApi(string path) => path.StartsWith("/api/", StringComparison.Ordinal) || path.StartsWith("/hubs/", StringComparison.Ordinal)
        || path == NowOnline.Web.Api.Online.OnlineExportApi.Path;

    private static string Concrete(RouteEndpoint endpoint)
    {
        var path = "/" + endpoint.RoutePattern.RawText!.TrimStart('/');
        foreach (var parameter in endpoint.RoutePattern.Parameters)
            path = System.Text.RegularExpressions.Regex.Replace(path, "\\{\\*{0,2}" + parameter.Name + "[^}]*\\}", "x-1");
        return path;
    }

    [Fact]
    public void Every_endpoint_outside_the_open_list_requires_authorization()
    {
        var unprotected = _app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetOrderedMetadata<IAuthorizeData>().Count == 0 || e.Metadata.GetMetadata<IAllowAnonymous>() is not null)
            .Select(e => "/" + e.RoutePattern.RawText!.TrimStart('/'))
            .Where(p => !OpenPatterns.Any(open => p == open || (open != "/" && p.StartsWith(open, StringComparison.Ordinal))))
            .ToList();

        Assert.Empty(unprotected);
        Assert.Contains(ProtectedRoutes(), r => r.Pattern == "/api/activity");
        Assert.Contains(ProtectedRoutes(), r => r.Pattern == "/customers/online");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-key")]
    [InlineData("TEST-STOREFRONT-KEY")]
    [InlineData("test-storefront-ke")]
    public async Task Without_sign_in_every_page_redirects_to_login_and_every_api_answers_401(string? key)
    {
        using var client = _app.CookieClient();
        if (key is not null) client.DefaultRequestHeaders.TryAddWithoutValidation("X-Api-Key", key);

        foreach (var route in ProtectedRoutes())
        {
            using var request = new HttpRequestMessage(new HttpMethod(route.Method), route.Pattern);
            if (route.Method is "POST" or "PUT" or "PATCH") request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
            var response = await client.SendAsync(request);

            if (route.IsPage)
            {
                Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{route.Method} {route.Pattern}: {(int)response.StatusCode}");
                Assert.StartsWith("/login?returnUrl=", response.Headers.Location!.PathAndQuery);
            }
            else
            {
                Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{route.Method} {route.Pattern}: {(int)response.StatusCode}");
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            }
        }
    }

    [Fact]
    public async Task Storefront_key_opens_no_page_and_no_admin_only_endpoint()
    {
        using var client = _app.CookieClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", TestApp.ApiKey);

        foreach (var route in ProtectedRoutes().Where(r => r.IsPage && r.Method == "GET"))
        {
            var response = await client.GetAsync(route.Pattern);
            Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{route.Pattern}: {(int)response.StatusCode}");
        }

        var adminOnly = _app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<ComponentTypeMetadata>() is null
                        && e.Metadata.GetOrderedMetadata<IAuthorizeData>().Any(a => a.Policy == NowOnline.Web.Security.SecurityPolicies.Admin))
            .ToList();
        foreach (var endpoint in adminOnly)
        {
            var method = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.FirstOrDefault() ?? "GET";
            using var request = new HttpRequestMessage(new HttpMethod(method), Concrete(endpoint))
            {
                Content = method == "GET" ? null : new StringContent("{}", System.Text.Encoding.UTF8, "application/json"),
            };
            var response = await client.SendAsync(request);
            var refused = IsApi(Concrete(endpoint))
                ? response.StatusCode == HttpStatusCode.Unauthorized
                : response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location!.PathAndQuery.StartsWith("/login?", StringComparison.Ordinal);
            Assert.True(refused, $"{method} {Concrete(endpoint)}: {(int)response.StatusCode}");
        }
    }

    [Fact]
    public async Task Signed_in_admin_opens_every_page()
    {
        using var admin = await _app.AdminClientAsync();

        foreach (var route in ProtectedRoutes().Where(r => r.IsPage && r.Method == "GET"))
            Assert.True((await admin.GetAsync(route.Pattern)).StatusCode == HttpStatusCode.OK, route.Pattern);
    }
}
