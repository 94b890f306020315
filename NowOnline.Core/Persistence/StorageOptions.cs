using System.ComponentModel.DataAnnotations;

namespace NowOnline.Core.Persistence;

/// <summary>Configuration section <c>Storage</c>.</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary><see cref="StorageProvider.Sqlite"/> (default) or <see cref="StorageProvider.PostgreSql"/>.</summary>
    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;

    /// <summary>
    /// Reads <c>Storage:Provider</c>, or stops the app with a message that names the key: the provider decides which
    /// services are registered, so it is read before options validation runs.
    /// </summary>
    public static StorageProvider ReadProvider(Microsoft.Extensions.Configuration.IConfiguration configuration)
    {
        var value = configuration[$"{Section}:{nameof(Provider)}"];
        if (string.IsNullOrWhiteSpace(value)) return StorageProvider.Sqlite;
        return Enum.TryParse<StorageProvider>(value.Trim(), ignoreCase: true, out var provider) && Enum.IsDefined(provider)
            ? provider
            : throw new InvalidOperationException(
                $"{Section}:{nameof(Provider)} is '{value}'; it must be '{nameof(StorageProvider.Sqlite)}' or '{nameof(StorageProvider.PostgreSql)}'.");
    }

    /// <summary>
    /// On SQLite: free space (MiB) kept on the database's volume: below it new events are refused with 503 and the health check
    /// is unhealthy, so the disk never fills up in the middle of a commit or a checkpoint. 0 turns the guard off.
    /// </summary>
    [Range(0, 1_000_000)]
    public int MinimumFreeMegabytes { get; set; } = 64;

    /// <summary>
    /// On SQLite: the folder a relative <c>Data Source</c> resolves against. The web app makes a relative folder absolute
    /// against its content root (the folder of the app's binaries), so the file is in one place whatever the working
    /// directory; here, without a host, a relative folder is relative to the working directory.
    /// </summary>
    public string DataDirectory { get; set; } = DefaultDataDirectory;

    public const string DefaultDataDirectory = "data";
}
