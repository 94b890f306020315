using System.ComponentModel.DataAnnotations;

namespace NowOnline.Core.Presence;

/// <summary>Configuration section <c>Presence</c>.</summary>
public sealed class PresenceOptions
{
    public const string Section = "Presence";

    /// <summary>Case-insensitive substrings of user agents whose events are counted and dropped.</summary>
    public string[] IgnoredUserAgents { get; set; } = [];

    /// <summary>How long applied event ids are remembered for de-duplication.</summary>
    [Range(1, 60 * 24 * 30)]
    public int EventIdRetentionMinutes { get; set; } = 60 * 24;

    /// <summary>
    /// Memory for de-duplication by event id, whatever the rate: 7/8 for the writer's fingerprint filter of the ids the log
    /// holds (about 2.3 bytes each: 64 MB hold ~26 million), 1/8 for the tracker's exact window of the ids it applied last
    /// (about 160 bytes each: ~52,000 at 64 MB). Past what the filter holds, ids are answered from the durable event-id
    /// index instead, so this bounds memory and speed, not correctness.
    /// </summary>
    [Range(1, 64 * 1024)]
    public int EventIdMemoryBudgetMegabytes { get; set; } = 64;

    /// <summary>The writer's share of <see cref="EventIdMemoryBudgetMegabytes"/>, in bytes (the rest is the tracker's window).</summary>
    internal long EventIdFilterBytes => EventIdMemoryBudgetMegabytes * 1024L * 1024 - EventIdWindowBytes(EventIdMemoryBudgetMegabytes);

    /// <summary>The tracker's share of a budget of <paramref name="megabytes"/>, in bytes.</summary>
    internal static long EventIdWindowBytes(int megabytes) => megabytes * 1024L * 1024 / 8;

    /// <summary>How long an offline session is kept (in memory and in the database) so a longer interval can bring it back.</summary>
    [Range(1, 60 * 24 * 30)]
    public int SessionRetentionMinutes { get; set; } = 60 * 24;
}
