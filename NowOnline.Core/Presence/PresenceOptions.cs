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

    /// <summary>How long an offline session is kept (in memory and in the database) so a longer interval can bring it back.</summary>
    [Range(1, 60 * 24 * 30)]
    public int SessionRetentionMinutes { get; set; } = 60 * 24;
}
