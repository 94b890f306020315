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
    /// Memory for the recent event ids kept in the tracker (about 160 bytes each: 64 MB hold ~420,000). Older ids within
    /// the retention are answered from the durable event-id index instead, so this bounds memory, not correctness.
    /// </summary>
    [Range(1, 64 * 1024)]
    public int EventIdMemoryBudgetMegabytes { get; set; } = 64;

    /// <summary>How long an offline session is kept (in memory and in the database) so a longer interval can bring it back.</summary>
    [Range(1, 60 * 24 * 30)]
    public int SessionRetentionMinutes { get; set; } = 60 * 24;
}
