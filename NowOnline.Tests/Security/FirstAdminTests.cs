using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using NowOnline.Tests.Support;
using NowOnline.Web;
using NowOnline.Web.Security;

namespace NowOnline.Tests.Security;

/// <summary>Someone can always sign in: the first admin comes from configuration, or Development makes one.</summary>
public sealed class FirstAdminTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string[] Args(string environment, string email, string password) =>
    [
        "--environment", environment,
        $"--ConnectionStrings:NowOnline=Data Source={_folder.File("nowonline.db")}",
        "--Ingestion:ApiKeys:0=k", "--Simulator:Enabled=false",
        $"--Admin:Email={email}", $"--Admin:Password={password}",
    ];

    [Fact]
    public async Task Production_without_a_configured_admin_stops_and_says_what_to_set()
    {
        var failure = await Assert.ThrowsAsync<AdminSetupException>(() => NowOnlineApp.BuildAsync(Args("Production", "", "")));

        Assert.Contains("Admin:Email and Admin:Password", failure.Message);
        Assert.Contains("admin set --email", failure.Message);
    }

    [Fact]
    public async Task Configured_password_that_is_too_short_stops_the_start_with_the_rule()
    {
        var failure = await Assert.ThrowsAsync<AdminSetupException>(() => NowOnlineApp.BuildAsync(Args("Production", "boss@example.com", "short")));

        Assert.Contains("at least 10 characters", failure.Message);
    }

    [Fact]
    public async Task Development_without_a_configured_admin_prints_a_random_password_once_that_signs_in()
    {
        var logs = new LogCapture();

        await using (var app = await NowOnlineApp.BuildAsync(Args("Development", "", ""), b => b.Logging.AddProvider(logs)))
        {
            var line = Assert.Single(logs.Messages, m => m.Contains("Development admin for sign-in", StringComparison.Ordinal));
            var match = Regex.Match(line, @"sign-in: (\S+) / (\S+) ");
            Assert.Equal(FirstAdmin.DevelopmentEmail, match.Groups[1].Value);
            Assert.True(match.Groups[2].Value.Length >= 20);
            var result = await app.Services.GetRequiredService<AdminAccounts>().SignInAsync(match.Groups[1].Value, match.Groups[2].Value, default);
            Assert.True(result.Succeeded);
        }

        var secondStart = new LogCapture();
        await using (await NowOnlineApp.BuildAsync(Args("Development", "", ""), b => b.Logging.AddProvider(secondStart)))
            Assert.DoesNotContain(secondStart.Messages, m => m.Contains("Development admin", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Configured_admin_is_only_created_when_no_admin_exists()
    {
        await using (await NowOnlineApp.BuildAsync(Args("Production", "first@example.com", "first-password-1")))
        {
        }

        await using var app = await NowOnlineApp.BuildAsync(Args("Production", "second@example.com", "second-password-2"));

        var accounts = app.Services.GetRequiredService<AdminAccounts>();
        Assert.True((await accounts.SignInAsync("first@example.com", "first-password-1", default)).Succeeded);
        Assert.False((await accounts.SignInAsync("second@example.com", "second-password-2", default)).Succeeded);
    }

    [Fact]
    public async Task Creating_the_first_admin_and_locking_it_out_log_no_email_address()
    {
        var logs = new LogCapture();
        await using var app = await NowOnlineApp.BuildAsync(
            [.. Args("Production", "owner@example.com", "owner-password-1"), "--Admin:MaxFailedSignIns=2"], b => b.Logging.AddProvider(logs));
        var accounts = app.Services.GetRequiredService<AdminAccounts>();

        for (var i = 0; i < 2; i++) await accounts.SignInAsync("owner@example.com", "wrong-password-1", default);

        Assert.Contains(logs.Messages, m => m.Contains("Created the first admin", StringComparison.Ordinal));
        Assert.Contains(logs.Messages, m => m.Contains("locked until", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Messages, m => m.Contains("owner@example.com", StringComparison.OrdinalIgnoreCase));
    }
}
