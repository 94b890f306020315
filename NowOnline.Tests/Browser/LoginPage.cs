using Microsoft.Playwright;

namespace NowOnline.Tests.Browser;

/// <summary>Page object for /login.</summary>
public sealed class LoginPage(IPage page)
{
    public IPage Page => page;

    public ILocator Email => page.GetByTestId("login-email");

    public ILocator Password => page.GetByTestId("login-password");

    public ILocator SignInButton => page.GetByRole(AriaRole.Button, new() { Name = "Sign in" });

    public ILocator Error => page.GetByTestId("login-error");

    /// <summary>Fills the form and clicks Sign in.</summary>
    public async Task SubmitAsync(string email, string password)
    {
        await page.Locator("[data-testid='login-card'][data-ready='true']").WaitForAsync();
        await Email.FillAsync(email);
        await Password.FillAsync(password);
        await SignInButton.ClickAsync();
    }

    /// <summary>Signs in and waits until the browser has left /login.</summary>
    public async Task SignInAsync(string email, string password)
    {
        await SubmitAsync(email, password);
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath != "/login");
    }
}
