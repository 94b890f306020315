using System.ComponentModel.DataAnnotations;

namespace NowOnline.Core.Retention;

/// <summary>
/// Configuration section <c>Retention</c>: how often the cleanup runs and how much one step deletes.
/// How long things are kept is <c>Presence:SessionRetentionMinutes</c> and <c>Presence:EventIdRetentionMinutes</c>.
/// </summary>
public sealed class RetentionOptions
{
    public const string Section = "Retention";

    /// <summary>Seconds between cleanup runs.</summary>
    [Range(1, 60 * 60 * 24)]
    public int IntervalSeconds { get; set; } = 300;

    /// <summary>Most sessions and most logged events deleted in one short transaction.</summary>
    [Range(1, 100_000)]
    public int BatchSize { get; set; } = 500;
}
