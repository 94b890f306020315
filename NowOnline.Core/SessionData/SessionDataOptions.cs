using System.ComponentModel.DataAnnotations;

namespace NowOnline.Core.SessionData;

/// <summary>Configuration section <c>SessionData</c>: limits and purge schedule of the shoppers' unsaved data.</summary>
public sealed class SessionDataOptions
{
    public const string Section = "SessionData";

    /// <summary>Largest accepted JSON document per session, in bytes (UTF-8).</summary>
    [Range(1024, 1024 * 1024)]
    public int MaxBytes { get; set; } = 64 * 1024;

    /// <summary>How often the purge job looks for expired data.</summary>
    [Range(1, 3600)]
    public int PurgeIntervalSeconds { get; set; } = 60;

    /// <summary>Most rows deleted in one transaction, so a large purge never holds the database for long.</summary>
    [Range(1, 100_000)]
    public int PurgeBatchSize { get; set; } = 500;
}
