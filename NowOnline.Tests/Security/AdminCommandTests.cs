using System.Diagnostics;
using System.Net;
using NowOnline.Tests.Support;
using NowOnline.Web.Security;

namespace NowOnline.Tests.Security;

/// <summary>
/// <c>admin set --email X</c> against the same SQLite file as a running app: in-process, and once through the real
/// binary with its exit codes. The app is shared by the tests of this class; each works on an admin of its own.
/// </summary>
public sealed class AdminCommandTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private readonly TestApp _app = shared.App;

    private static string NewEmail() => $"admin-{Guid.NewGuid():N}@example.com";

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
        var email = NewEmail();
        var (exit, output, error) = await RunAsync("Second-admin-pass-9\n", null, "admin", "set", "--email", email);

        Assert.Equal(AdminCommand.Ok, exit);
        Assert.Contains($"Added admin {email}.", output);
        Assert.DoesNotContain("Second-admin-pass-9", output + error);
        using var client = _app.CookieClient();
        var signIn = await client.SignInAsync(email, "Second-admin-pass-9");
        Assert.Equal("/customers/online", signIn.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Set_on_an_existing_admin_resets_the_password_and_ends_its_open_sign_ins()
    {
        var email = NewEmail();
        Assert.Equal(AdminCommand.Ok, (await RunAsync("", "First-password-7", "admin", "set", "--email", email)).Exit);
        using var before = await _app.AdminClientAsync(email, "First-password-7");
        Assert.Equal(HttpStatusCode.OK, (await before.GetAsync("/api/online")).StatusCode);

        var (exit, output, _) = await RunAsync("", "Brand-new-password-7", "admin", "set", $"--email={email}");

        Assert.Equal(AdminCommand.Ok, exit);
        Assert.Contains("Set a new password", output);
        Assert.Equal(HttpStatusCode.Unauthorized, (await before.GetAsync("/api/online")).StatusCode);
        using var client = _app.CookieClient();
        Assert.StartsWith("/login?error=invalid", (await client.SignInAsync(email, "First-password-7")).Headers.Location!.OriginalString);
        Assert.Equal("/customers/online", (await client.SignInAsync(email, "Brand-new-password-7")).Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Set_lifts_a_lockout()
    {
        var email = NewEmail();
        Assert.Equal(AdminCommand.Ok, (await RunAsync("", "Locked-out-password-1", "admin", "set", "--email", email)).Exit);
        using var client = _app.CookieClient();
        for (var i = 0; i < 5; i++) await client.SignInAsync(email, "wrong-password-123");
        Assert.StartsWith("/login?error=locked", (await client.SignInAsync(email, "Locked-out-password-1")).Headers.Location!.OriginalString);

        var (exit, output, _) = await RunAsync("", "Locked-out-password-1", "admin", "set", "--email", email);

        Assert.Equal(AdminCommand.Ok, exit);
        Assert.Contains("any lockout is lifted", output);
        Assert.Equal("/customers/online", (await client.SignInAsync(email, "Locked-out-password-1")).Headers.Location!.OriginalString);
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

    [Fact]
    public async Task The_built_binary_sets_an_admin_and_exits_0_and_exits_2_on_wrong_usage_and_1_on_an_unusable_database()
    {
        var email = NewEmail();
        var database = $"--ConnectionStrings:NowOnline=Data Source={_app.DatabasePath}";

        var added = await RunBinaryAsync("Binary-admin-pass-3\n", "admin", "set", "--email", email, database);
        var usage = await RunBinaryAsync("Binary-admin-pass-3\n", "admin", "set", "--email", "not-an-email", database);
        using var folder = new TempFolder();
        var unusable = await RunBinaryAsync("Binary-admin-pass-3\n", "admin", "set", "--email", email,
            $"--ConnectionStrings:NowOnline=Data Source={folder.File("no-such-folder/n.db")};Mode=ReadWrite");

        Assert.Equal((AdminCommand.Ok, $"Added admin {email}."), (added.Exit, added.Out.Trim()));
        Assert.DoesNotContain("Binary-admin-pass-3", added.Out + added.Error);
        Assert.Equal(AdminCommand.Usage, usage.Exit);
        Assert.Contains("Usage:", usage.Error);
        Assert.Equal(AdminCommand.Failed, unusable.Exit);
        Assert.Contains("Could not set the admin", unusable.Error);
        using var client = _app.CookieClient();
        Assert.Equal("/customers/online", (await client.SignInAsync(email, "Binary-admin-pass-3")).Headers.Location!.OriginalString);
    }

    private static async Task<(int Exit, string Out, string Error)> RunBinaryAsync(string stdin, params string[] args)
    {
        var start = new ProcessStartInfo(AppProcess.FindAppHost())
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment.Remove(AdminCommand.PasswordVariable);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
        return (process.ExitCode, await output, await error);
    }
}
