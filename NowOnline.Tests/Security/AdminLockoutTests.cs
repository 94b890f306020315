using Microsoft.AspNetCore.Builder;
using NowOnline.Tests.Support;
using NowOnline.Web;
using NowOnline.Web.Security;

namespace NowOnline.Tests.Security;

/// <summary>
/// The lockout's clock: it ends Admin:LockoutMinutes after it began, and a right password in between clears the count of
/// failures. The app is built (not started) on a fake clock, and its <see cref="AdminAccounts"/> checks the passwords.
/// </summary>
public sealed class AdminLockoutTests : IAsyncLifetime
{
    private const string Email = "owner@example.com";
    private const string Password = "owner-password-1";
    private const string Wrong = "wrong-password-1";
    private readonly TempFolder _folder = new();
    private readonly FakeClock _clock = new(DateTimeOffset.UtcNow);
    private WebApplication _app = default!;
    private AdminAccounts _accounts = default!;

    public async Task InitializeAsync()
    {
        _app = await NowOnlineApp.BuildAsync(
        [
            "--environment", "Production", $"--ConnectionStrings:NowOnline=Data Source={_folder.File("nowonline.db")}",
            "--Ingestion:ApiKeys:0=k", "--Simulator:Enabled=false", $"--Admin:Email={Email}", $"--Admin:Password={Password}",
            "--Admin:MaxFailedSignIns=3", "--Admin:LockoutMinutes=15",
        ], builder => builder.Services.AddSingleton<TimeProvider>(_clock));
        _accounts = _app.Services.GetRequiredService<AdminAccounts>();
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        _folder.Dispose();
    }

    private Task<AdminSignInResult> SignInAsync(string password) => _accounts.SignInAsync(Email, password, default);

    [Fact]
    public async Task Lockout_ends_after_the_lockout_minutes_and_not_before()
    {
        for (var i = 0; i < 3; i++) await SignInAsync(Wrong);
        var lockedAt = _clock.GetUtcNow();

        var locked = await SignInAsync(Password);
        _clock.Advance(TimeSpan.FromMinutes(15) - TimeSpan.FromSeconds(1));
        var stillLocked = await SignInAsync(Password);
        _clock.Advance(TimeSpan.FromSeconds(1));
        var open = await SignInAsync(Password);

        Assert.False(locked.Succeeded);
        Assert.Equal(lockedAt.AddMinutes(15).ToUnixTimeMilliseconds(), locked.LockedUntil?.ToUnixTimeMilliseconds());
        Assert.False(stillLocked.Succeeded);
        Assert.NotNull(stillLocked.LockedUntil);
        Assert.True(open.Succeeded);
    }

    [Fact]
    public async Task Right_password_clears_the_count_of_failures()
    {
        for (var i = 0; i < 2; i++) Assert.Null((await SignInAsync(Wrong)).LockedUntil);
        Assert.True((await SignInAsync(Password)).Succeeded);

        // Two more failures, four in all: without the reset the third in all would have locked.
        for (var i = 0; i < 2; i++) Assert.Null((await SignInAsync(Wrong)).LockedUntil);
        var third = await SignInAsync(Wrong); // the third since the success locks

        Assert.Equal(_clock.GetUtcNow().AddMinutes(15).ToUnixTimeMilliseconds(), third.LockedUntil?.ToUnixTimeMilliseconds());
    }
}
