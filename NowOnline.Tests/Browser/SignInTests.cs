using Microsoft.Playwright;
using NowOnline.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace NowOnline.Tests.Browser;

/// <summary>The sign-in form and the app bar's sign-out in real Chromium.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SignInTests(BrowserFixture browser) : IAsyncLifetime
{
    private TestApp _app = default!;

    public async Task InitializeAsync() => _app = await TestApp.StartAsync(new Dictionary<string, string?> { ["Admin:RevalidateSeconds"] = "1" });

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Grid_asks_for_sign_in_and_returns_to_the_grid_afterwards()
    {
        var page = await browser.NewPageAsync();
        await page.GotoAsync(new Uri(_app.BaseAddress, "/customers/online").ToString());
        Assert.Equal("/login", new Uri(page.Url).AbsolutePath);
        var login = new LoginPage(page);

        await login.SignInAsync(TestApp.AdminEmail, TestApp.AdminPassword);

        Assert.Equal("/customers/online", new Uri(page.Url).AbsolutePath);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Now Online" })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("signed-in-as")).ToHaveTextAsync(TestApp.AdminEmail);
        await page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "nowonline-signed-in.png") });
    }

    [Fact]
    public async Task Wrong_password_shows_a_clear_message_on_the_form_with_the_email_kept()
    {
        var page = await browser.NewPageAsync();
        await page.GotoAsync(new Uri(_app.BaseAddress, "/login").ToString());
        var login = new LoginPage(page);

        await login.SubmitAsync(TestApp.AdminEmail, "not-the-password");

        await Expect(login.Error).ToContainTextAsync("The email or password is not correct.");
        Assert.Equal("/login", new Uri(page.Url).AbsolutePath);
        await Expect(login.Email).ToHaveValueAsync(TestApp.AdminEmail);
        await Expect(login.Password).ToBeFocusedAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "nowonline-login-error.png") });
    }

    [Fact]
    public async Task Empty_form_returns_with_a_message_under_each_field()
    {
        var page = await browser.NewPageAsync();
        await page.GotoAsync(new Uri(_app.BaseAddress, "/login").ToString());
        var login = new LoginPage(page);

        await login.SubmitAsync("", "");

        await Expect(page.GetByText("Enter your email.")).ToBeVisibleAsync();
        await Expect(page.GetByText("Enter your password.")).ToBeVisibleAsync();
        Assert.Equal("/login", new Uri(page.Url).AbsolutePath);
    }

    [Fact]
    public async Task Sign_out_in_the_header_returns_to_login_and_the_grid_is_closed_again()
    {
        var page = await browser.NewSignedInPageAsync(_app);

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/login");

        await page.GotoAsync(new Uri(_app.BaseAddress, "/customers/online").ToString());
        Assert.Equal("/login", new Uri(page.Url).AbsolutePath);
    }
}
