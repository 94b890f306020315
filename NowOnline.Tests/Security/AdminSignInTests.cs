using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using NowOnline.Tests.Support;

namespace NowOnline.Tests.Security;

/// <summary>
/// The admin cookie sign-in through the real form endpoint, on one real app for the class (a lockout after three
/// failures). The test that locks an account locks an admin of its own, so the others keep signing in.
/// </summary>
public sealed class AdminSignInTests(AdminSignInTests.LockoutApp shared) : IClassFixture<AdminSignInTests.LockoutApp>
{
    private readonly TestApp _app = shared.App;

    /// <summary>The app of this class: three failed sign-ins lock an account.</summary>
    public sealed class LockoutApp : IAsyncLifetime
    {
        public TestApp App { get; private set; } = default!;

        public async Task InitializeAsync() => App = await TestApp.StartAsync(new Dictionary<string, string?> { ["Admin:MaxFailedSignIns"] = "3" });

        public async Task DisposeAsync() => await App.DisposeAsync();
    }

    [Fact]
    public async Task Page_without_sign_in_redirects_to_login_with_the_return_url()
    {
        using var client = _app.CookieClient();

        var response = await client.GetAsync("/customers/online?search=ada");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/login?returnUrl=%2Fcustomers%2Fonline%3Fsearch%3Dada", response.Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task Right_password_sets_an_http_only_strict_cookie_and_returns_to_the_page()
    {
        using var client = _app.CookieClient();

        var response = await client.SignInAsync(TestApp.AdminEmail, TestApp.AdminPassword, returnUrl: "/customers/online?search=ada");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/customers/online?search=ada", response.Headers.Location!.OriginalString);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("NowOnline.Admin=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secure", cookie.Replace("samesite", "", StringComparison.OrdinalIgnoreCase), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/customers/online")).StatusCode);
    }

    [Fact]
    public async Task Email_is_matched_without_regard_to_case()
    {
        using var client = _app.CookieClient();

        var response = await client.SignInAsync(TestApp.AdminEmail.ToUpperInvariant(), TestApp.AdminPassword);

        Assert.Equal("/customers/online", response.Headers.Location!.OriginalString);
    }

    [Theory]
    [InlineData("https://evil.example/")]
    [InlineData("//evil.example/")]
    [InlineData("/\\evil.example/")]
    [InlineData("javascript:alert(1)")]
    public async Task Return_url_to_another_site_is_replaced_by_the_grid(string returnUrl)
    {
        using var client = _app.CookieClient();

        var response = await client.SignInAsync(TestApp.AdminEmail, TestApp.AdminPassword, returnUrl);

        Assert.Equal("/customers/online", response.Headers.Location!.OriginalString);
    }

    [Theory]
    [InlineData(TestApp.AdminEmail, "wrong-password-123")]
    [InlineData("nobody@nowonline.test", TestApp.AdminPassword)]
    public async Task Wrong_email_or_password_returns_to_login_with_an_error_and_no_cookie(string email, string password)
    {
        using var client = _app.CookieClient();

        var response = await client.SignInAsync(email, password);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/login?error=invalid", response.Headers.Location!.OriginalString);
        Assert.False(response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("NowOnline.Admin=", StringComparison.Ordinal)));
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/customers/online")).StatusCode);
    }

    [Fact]
    public async Task Repeated_failures_lock_the_account_even_for_the_right_password()
    {
        var email = $"locked-{Guid.NewGuid():N}@example.com";
        await _app.Services.GetRequiredService<NowOnline.Web.Security.AdminAccounts>().SetAsync(email, TestApp.AdminPassword, default);
        using var client = _app.CookieClient();
        for (var i = 0; i < 3; i++) await client.SignInAsync(email, "wrong-password-123");

        var response = await client.SignInAsync(email, TestApp.AdminPassword);

        Assert.StartsWith("/login?error=locked", response.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/customers/online")).StatusCode);
    }

    [Fact]
    public async Task Signed_in_admin_reads_the_online_list_without_a_key()
    {
        using var admin = await _app.AdminClientAsync();

        var response = await admin.GetAsync("/api/online");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Api_without_key_or_sign_in_answers_401_problem_not_a_redirect()
    {
        using var client = _app.CookieClient();

        var response = await client.GetAsync("/api/online");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("X-Api-Key", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Signed_in_admin_cannot_post_activity_which_only_the_storefront_writes()
    {
        using var admin = await _app.AdminClientAsync();

        var response = await admin.PostJsonAsync("/api/activity", """{"type":"cart_add","sessionId":"s-1","item":{"sku":"A","qty":1}}""");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var online = await (await _app.Storefront().GetAsync("/api/online")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(0, online.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Sign_out_ends_the_session()
    {
        using var admin = await _app.AdminClientAsync();
        var token = await admin.AntiforgeryTokenAsync("/customers/online");

        var response = await admin.PostAsync("/account/logout", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));

        Assert.Equal("/login", response.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Redirect, (await admin.GetAsync("/customers/online")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await admin.GetAsync("/api/online")).StatusCode);
    }

    [Fact]
    public async Task Sign_in_without_the_antiforgery_token_is_refused()
    {
        using var client = _app.CookieClient();

        var response = await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["email"] = TestApp.AdminEmail, ["password"] = TestApp.AdminPassword,
        }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("antiforgery", await response.Content.ReadAsStringAsync());
    }
}
