using System.Net;
using Microsoft.Playwright;
using NowOnline.Tests.Support;
using NowOnline.Web.Api.Online;
using NowOnline.Web.Security;
using static Microsoft.Playwright.Assertions;

namespace NowOnline.Tests.Browser;

/// <summary>
/// A sign-out in one tab, or a password reset, ends the admin's other open tabs within seconds (default settings), and
/// nothing more is shown or exported from them.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class SignOutReachesEveryTabTests(BrowserFixture browser) : IAsyncLifetime
{
    private static readonly PageWaitForURLOptions WithinTenSeconds = new() { Timeout = 10_000 };
    private TestApp _app = default!;

    public async Task InitializeAsync() => _app = await TestApp.StartAsync();

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Sign_out_in_one_tab_sends_the_other_open_grid_to_the_sign_in_page_within_ten_seconds()
    {
        var first = await browser.NewSignedInPageAsync(_app);
        var other = new OnlineGridPage(await first.Context.NewPageAsync(), _app.BaseAddress);
        await other.OpenAsync("/customers/online?search=tab-kept");
        await first.GotoAsync(new Uri(_app.BaseAddress, "/customers/online").ToString());

        await first.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await first.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/login");

        await other.Page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/login", WithinTenSeconds);
        Assert.Contains("returnUrl=%2Fcustomers%2Fonline%3Fsearch%3Dtab-kept", other.Page.Url);
        await Expect(other.Page.GetByTestId("login-form")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Password_reset_sends_an_open_grid_to_the_sign_in_page_within_ten_seconds()
    {
        var grid = new OnlineGridPage(await browser.NewPageAsync(), _app.BaseAddress);
        await grid.OpenAsync();

        var console = new AdminConsole(new StringReader(""), new StringWriter(), new StringWriter(),
            name => name == AdminCommand.PasswordVariable ? "A-new-password-42" : null, ReadHidden: null);
        Assert.Equal(AdminCommand.Ok, await AdminCommand.RunAsync(
            ["admin", "set", "--email", TestApp.AdminEmail, $"--ConnectionStrings:NowOnline=Data Source={_app.DatabasePath}"], console));

        await grid.Page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/login", WithinTenSeconds);
    }

    [Fact]
    public async Task Export_without_a_sign_in_answers_401_and_never_the_sign_in_page()
    {
        using var client = _app.CookieClient();
        client.DefaultRequestHeaders.Add("Accept", "text/html,*/*");

        var response = await client.GetAsync(OnlineExportApi.Path);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.DoesNotContain("login-form", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Cookie_of_a_signed_out_sign_in_sent_again_is_refused()
    {
        var jar = new HttpClientHandler { CookieContainer = new CookieContainer(), UseCookies = true, AllowAutoRedirect = false };
        using var admin = new HttpClient(jar) { BaseAddress = _app.BaseAddress };
        Assert.Equal("/customers/online", (await admin.SignInAsync(TestApp.AdminEmail, TestApp.AdminPassword)).Headers.Location!.OriginalString);
        var cookie = jar.CookieContainer.GetCookieHeader(_app.BaseAddress);
        var token = await admin.AntiforgeryTokenAsync("/customers/online");
        Assert.Equal(HttpStatusCode.Redirect, (await admin.PostAsync("/account/logout",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }))).StatusCode);

        // The same cookie, kept by someone or something else than the browser that signed out.
        using var replay = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = _app.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, OnlineExportApi.Path);
        request.Headers.Add("Cookie", cookie);
        Assert.Equal(HttpStatusCode.Unauthorized, (await replay.SendAsync(request)).StatusCode);
    }
}
