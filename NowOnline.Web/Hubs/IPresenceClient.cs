using NowOnline.Web.Api.Online;

namespace NowOnline.Web.Hubs;

/// <summary>
/// What a presence subscriber receives, modelled on Phoenix Presence's <c>presence_state</c> and
/// <c>presence_diff</c>. Versions count the messages of one subscription: <c>State</c> is 1, every
/// <c>Diff</c> is the previous version plus one, so a client that sees a jump knows it missed something.
/// </summary>
public interface IPresenceClient
{
    /// <summary>Every online row that matches the subscription's filter, sent once after <c>Subscribe</c>.</summary>
    Task State(IReadOnlyList<OnlineRowReply> rows, long version);

    /// <summary>Rows that arrived or changed (latest state only) and keys of rows that left or stopped matching.</summary>
    Task Diff(IReadOnlyList<OnlineRowReply> upserts, IReadOnlyList<string> removals, long version);
}
