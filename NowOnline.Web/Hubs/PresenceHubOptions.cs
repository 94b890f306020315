using System.ComponentModel.DataAnnotations;

namespace NowOnline.Web.Hubs;

/// <summary>How the presence hub paces and protects its pushes (section <c>PresenceHub</c>).</summary>
public sealed class PresenceHubOptions
{
    public const string Section = "PresenceHub";

    /// <summary>A connection gets at most one <c>Diff</c> per interval; changes in between are coalesced per row.</summary>
    [Range(50, 5000)]
    public int FlushIntervalMilliseconds { get; set; } = 200;

    /// <summary>A connection whose client has not taken a message within this time is closed (it must subscribe again).</summary>
    [Range(1, 600)]
    public int SendTimeoutSeconds { get; set; } = 30;
}
