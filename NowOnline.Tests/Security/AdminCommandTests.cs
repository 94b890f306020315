using System.Net;
using NowOnline.Tests.Support;
using NowOnline.Web.Security;

namespace NowOnline.Tests.Security;

/// <summary><c>admin set --email X</c>, run in-process against the same SQLite file as a running app.</summary>
public sealed class AdminCommandTests : IAsyncLifetime
{
    private TestApp _app = default!;

    public async Task InitializeAsync() => _app = await TestApp.StartAsync();

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private async Task<(int Exit, string Out, string Error)> RunAsync(string stdin, string? environmentPassword, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var console = new AdminConsole(new StringReader(stdin), output, error,
            name => name == AdminCommand.PasswordVariable ? environmentPassword : null, ReadHidden: null);
        var exit = await AdminCommand.RunAsync([.. args, $"--ConnectionStrings:NowOnline=Data Source={_app.DatabasePath}"], console);
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Set_adds_an_admin_with_the_password_from_standard_input_without_echoing_it()
    {
        var (exit, output, error) = await RunAsync("Second-admin-pass-9\n", null, "admin", "set", "--email", "second@example.com");

        Assert.Equal(AdminCommand.Ok, exit);
        Assert.Contains("Added admin second@example.com.", output);
        Assert.DoesNotContain("Second-admin-pass-9", output + error);
        using var client = _app.CookieClient();
        var signIn = await client.SignInAsync("second@example.com", "Second-admin-pass-9");
        Assert.Equal("/customers/online", signIn.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Set_on_an_existing_admin_resets_the_password_and_ends_its_open_sign_ins()
    {
        using var before = await _app.AdminClientAsync();
        Assert.Equal(HttpStatusCode.OK, (await before.GetAsync("/api/online")).StatusCode);

        var (exit, output, _) = await RunAsync("", "Brand-new-password-7", "admin", "set", $"--email={TestApp.AdminEmail}");

        Assert.Equal(AdminCommand.Ok, exit);
        Assert.Contains("Set a new password", output);
        Assert.Equal(HttpStatusCode.Unauthorized, (await before.GetAsync("/api/online")).StatusCode);
        using var client = _app.CookieClient();
        Assert.StartsWith("/login?error=invalid", (await client.SignInAsync(TestApp.AdminEmail, TestApp.AdminPassword)).Headers.Location!.OriginalString);
        Assert.Equal("/customers/online", (await client.SignInAsync(TestApp.AdminEmail, "Brand-new-password-7")).Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Set_lifts_a_lockout()
    {
        using var client = _app.CookieClient();
        for (var i = 0; i < 5; i++) await client.SignInAsync(TestApp.AdminEmail, "wrong-password-123");
        Assert.StartsWith("/login?error=locked", (await client.SignInAsync(TestApp.AdminEmail, TestApp.AdminPassword)).Headers.Location!.OriginalString);

        await RunAsync("", TestApp.AdminPassword, "admin", "set", "--email", TestApp.AdminEmail);

        Assert.Equal("/customers/online", (await client.SignInAsync(TestApp.AdminEmail, TestApp.AdminPassword)).Headers.Location!.OriginalString);
    }

    [Theory]
    [InlineData("good-password-1\n", "admin", "set")]
    [InlineData("good-password-1\n", "admin", "set", "--email", "not-an-email")]
    [InlineData("short\n", "admin", "set", "--email", "new@example.com")]
    [InlineData("", "admin", "set", "--email", "new@example.com")]
    [InlineData("good-password-1\n", "admin", "remove", "--email", "new@example.com")]
    public async Task Wrong_usage_exits_with_a_message_and_adds_no_one(string stdin, params string[] args)
    {
        var (exit, _, error) = await RunAsync(stdin, null, args);

        Assert.Equal(AdminCommand.Usage, exit);
        Assert.False(string.IsNullOrWhiteSpace(error));
        using var client = _app.CookieClient();
        Assert.StartsWith("/login?error=invalid", (await client.SignInAsync("new@example.com", "good-password-1")).Headers.Location!.OriginalString);
    }
}
