using System.ComponentModel.DataAnnotations;

namespace NowOnline.Core.Persistence;

/// <summary>Configuration section <c>Storage</c>.</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>
    /// Free space (MiB) kept on the database's volume: below it new events are refused with 503 and the health check
    /// is unhealthy, so the disk never fills up in the middle of a commit or a checkpoint. 0 turns the guard off.
    /// </summary>
    [Range(0, 1_000_000)]
    public int MinimumFreeMegabytes { get; set; } = 64;
}
