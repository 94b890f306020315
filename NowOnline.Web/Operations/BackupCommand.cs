using NowOnline.Core;
using NowOnline.Core.Persistence;
using NowOnline.Web.Security;

namespace NowOnline.Web.Operations;

/// <summary>
/// <c>admin backup --to PATH</c>: reads the app's own configuration (appsettings.json, environment, arguments, the same
/// data directory), copies the SQLite database with SQLite's online backup (<see cref="SqliteBackup"/>) and exits 0, or
/// non-zero with a message. On PostgreSQL it says to use pg_dump.
/// </summary>
public static class BackupCommand
{
    public static async Task<int> RunAsync(string[] args, AdminConsole console, string usage, CancellationToken cancellationToken)
    {
        var (target, configArgs) = TakeTarget(args);
        if (string.IsNullOrWhiteSpace(target))
        {
            await console.Error.WriteLineAsync($"Name the backup file with --to.\n{usage}");
            return AdminCommand.Usage;
        }

        try
        {
            var builder = NowOnlineApp.CreateBuilder(configArgs);
            if (StorageOptions.ReadProvider(builder.Configuration) == StorageProvider.PostgreSql)
            {
                await console.Error.WriteLineAsync("Storage:Provider is PostgreSql: back up the database with pg_dump (see docs/operations.md, \"Backups\").");
                return AdminCommand.Usage;
            }

            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.Services.AddNowOnlineCore(builder.Configuration);
            await using var host = builder.Build();
            var database = host.Services.GetRequiredService<SqliteDatabase>();
            var bytes = await SqliteBackup.WriteAsync(database, target, cancellationToken);
            await console.Out.WriteLineAsync(
                $"Backed up {Path.GetFullPath(database.FilePath)} to {Path.GetFullPath(target)} ({bytes / 1024.0 / 1024.0:0.0} MiB). " +
                "To restore, stop the app and start it on this file (ConnectionStrings:NowOnline).");
            return AdminCommand.Ok;
        }
        catch (Exception ex) when (ex is BackupException or InvalidOperationException or Microsoft.Data.Sqlite.SqliteException
                                       or IOException or UnauthorizedAccessException)
        {
            await console.Error.WriteLineAsync($"Could not back up the database: {ex.Message}");
            return AdminCommand.Failed;
        }
    }

    private static (string? Target, string[] ConfigArgs) TakeTarget(string[] args)
    {
        string? target = null;
        var rest = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--to" && i + 1 < args.Length) target = args[++i];
            else if (args[i].StartsWith("--to=", StringComparison.Ordinal)) target = args[i]["--to=".Length..];
            else rest.Add(args[i]);
        }

        return (target, rest.ToArray());
    }
}
