using System.Text;
using Microsoft.EntityFrameworkCore;
using NowOnline.Core;
using NowOnline.Core.Persistence;
using NowOnline.Web.Operations;

namespace NowOnline.Web.Security;

/// <summary>
/// <c>admin set --email X</c>: adds an admin or resets its password, then exits. The password comes from
/// <c>NOWONLINE_ADMIN_PASSWORD</c>, else from standard input (typed without echo on a terminal, or piped).
/// <c>admin backup --to PATH</c>: a consistent copy of the running SQLite database (<see cref="BackupCommand"/>).
/// </summary>
public static class AdminCommand
{
    public const string PasswordVariable = "NOWONLINE_ADMIN_PASSWORD";
    public const int Ok = 0, Failed = 1, Usage = 2;

    private const string UsageText =
        "Usage: dotnet run --project NowOnline.Web -- admin set --email <email> [--ConnectionStrings:NowOnline=...]\n" +
        $"The password is read from {PasswordVariable} or from standard input; it is never shown.\n" +
        "       dotnet run --project NowOnline.Web -- admin backup --to <file> [--ConnectionStrings:NowOnline=...]\n" +
        "A consistent copy of the SQLite database, also while the app runs; restore by starting the app on the copy.";

    public static bool IsCommand(string[] args) => args.Length > 0 && args[0] == "admin";

    public static async Task<int> RunAsync(string[] args, AdminConsole console, CancellationToken cancellationToken = default)
    {
        if (args.Length >= 2 && args[1] == "backup") return await BackupCommand.RunAsync(args[2..], console, UsageText, cancellationToken);
        if (args.Length < 2 || args[1] != "set")
        {
            await console.Error.WriteLineAsync(UsageText);
            return Usage;
        }

        var (email, configArgs) = TakeEmail(args[2..]);
        if (AdminAccounts.ValidateEmail(email) is { } emailProblem)
        {
            await console.Error.WriteLineAsync($"{emailProblem}\n{UsageText}");
            return Usage;
        }

        var password = await ReadPasswordAsync(console);
        if (AdminAccounts.ValidatePassword(password) is { } passwordProblem)
        {
            await console.Error.WriteLineAsync(passwordProblem);
            return Usage;
        }

        try
        {
            var builder = NowOnlineApp.CreateBuilder(configArgs);
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.Services.AddNowOnlineCore(builder.Configuration);
            builder.Services.AddOptions<AdminOptions>().BindConfiguration(AdminOptions.Section).ValidateDataAnnotations();
            builder.Services.AddSingleton<AdminAccounts>();
            await using var host = builder.Build();

            var databases = host.Services.GetRequiredService<IDbContextFactory<NowOnlineDb>>();
            await using (var db = await databases.CreateDbContextAsync(cancellationToken))
                await db.Database.MigrateAsync(cancellationToken);

            var added = await host.Services.GetRequiredService<AdminAccounts>().SetAsync(email!, password!, cancellationToken);
            await console.Out.WriteLineAsync(added
                ? $"Added admin {email!.Trim()}."
                : $"Set a new password for admin {email!.Trim()}; earlier sign-ins have ended and any lockout is lifted.");
            return Ok;
        }
        catch (Exception ex) when (ex is InvalidOperationException or Microsoft.Data.Sqlite.SqliteException or IOException)
        {
            await console.Error.WriteLineAsync($"Could not set the admin: {ex.Message}");
            return Failed;
        }
    }

    private static (string? Email, string[] ConfigArgs) TakeEmail(string[] args)
    {
        string? email = null;
        var rest = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--email" && i + 1 < args.Length) email = args[++i];
            else if (args[i].StartsWith("--email=", StringComparison.Ordinal)) email = args[i]["--email=".Length..];
            else rest.Add(args[i]);
        }

        return (email, rest.ToArray());
    }

    private static async Task<string?> ReadPasswordAsync(AdminConsole console)
    {
        var fromEnvironment = console.GetEnvironmentVariable(PasswordVariable);
        if (!string.IsNullOrEmpty(fromEnvironment)) return fromEnvironment;
        if (console.ReadHidden is null) return (await console.In.ReadLineAsync())?.TrimEnd('\r', '\n');

        await console.Out.WriteAsync("Password: ");
        var first = console.ReadHidden();
        await console.Out.WriteAsync("Repeat password: ");
        var second = console.ReadHidden();
        if (first == second) return first;
        await console.Error.WriteLineAsync("The passwords do not match.");
        return null;
    }
}

/// <summary>Where the admin command reads and writes; <see cref="System"/> is the real console.</summary>
public sealed record AdminConsole(TextReader In, TextWriter Out, TextWriter Error, Func<string, string?> GetEnvironmentVariable,
    Func<string>? ReadHidden)
{
    public static AdminConsole System => new(Console.In, Console.Out, Console.Error, Environment.GetEnvironmentVariable,
        Console.IsInputRedirected ? null : ReadWithoutEcho);

    private static string ReadWithoutEcho()
    {
        var typed = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter) break;
            if (key.Key == ConsoleKey.Backspace)
            {
                if (typed.Length > 0) typed.Length--;
            }
            else if (!char.IsControl(key.KeyChar)) typed.Append(key.KeyChar);
        }

        Console.WriteLine();
        return typed.ToString();
    }
}
