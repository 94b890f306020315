using NowOnline.Core.Persistence;

namespace NowOnline.Web.Operations;

/// <summary>
/// Where a relative SQLite file lives: <c>Storage:DataDirectory</c> (default <c>data</c>), itself made absolute against
/// the content root (the folder of the app's binaries), so <c>dotnet run</c> from any folder, the published app and
/// systemd all find the same file. The app logs the file's absolute path at start.
/// </summary>
public static partial class DataDirectory
{
    private const string Key = $"{StorageOptions.Section}:{nameof(StorageOptions.DataDirectory)}";

    /// <summary>Makes <c>Storage:DataDirectory</c> absolute against <paramref name="contentRoot"/> (the app and the admin command both call this).</summary>
    public static void Anchor(IConfigurationManager configuration, string contentRoot)
    {
        var configured = configuration[Key];
        var folder = string.IsNullOrWhiteSpace(configured) ? StorageOptions.DefaultDataDirectory : configured.Trim();
        configuration[Key] = Path.GetFullPath(folder, contentRoot);
    }

    /// <summary>Logs where the data is, once the app is built.</summary>
    public static void LogLocation(WebApplication app)
    {
        var database = app.Services.GetService<SqliteDatabase>();
        if (database is null) return; // PostgreSQL: nothing is kept on the node's disk
        LogDatabase(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DataDirectory).FullName!),
            Path.GetFullPath(database.FilePath), app.Configuration[Key] ?? "");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "SQLite database: {DatabasePath} (data directory {DataDirectory}).")]
    private static partial void LogDatabase(ILogger logger, string databasePath, string dataDirectory);
}
