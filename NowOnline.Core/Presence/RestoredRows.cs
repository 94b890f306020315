namespace NowOnline.Core.Presence;

/// <summary>
/// The state rows, restored at start, that reflect a log position after the checkpoint mark, written by a pass that did not
/// finish (<c>ActivityLogCheckpointPass</c>): session id and cart owner to the sequence the row reflects. Rows at or before
/// the mark need no entry, since replay starts after it. The rules, and why they hold, given that a pass writes all its
/// carts (customers' before visitors'), then customers, then sessions:
/// <list type="bullet">
/// <item>A session row at <c>a</c> reflects the session's part of every event up to <c>a</c>.</item>
/// <item>Cart changes up to <see cref="CartsThrough"/> (the highest sequence of a session or customer row) are all in the cart
/// rows: such a row was written after every cart of its pass. So an event whose session row reflects it is skipped whole.</item>
/// <item>A cart row at <c>a</c> reflects every change up to <c>a</c>. A cart written empty has no row: it is replayed from
/// empty, which ends empty again where it was written, since every cart event maps a line's quantity monotonically and
/// nothing after <see cref="CartsThrough"/> is skipped except by a cart's own row.</item>
/// <item>A sign-in merge is skipped whole when the visitor's cart reflects it: the customer's cart, changed by the merge,
/// was written before the visitor's in the same pass.</item>
/// </list>
/// Profiles need no rule: the last sign-in's profile wins, so replaying one again is harmless.
/// </summary>
internal sealed class RestoredRows
{
    public Dictionary<string, long> Sessions { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, long> Carts { get; } = new(StringComparer.Ordinal);

    /// <summary>Every cart change up to here is in the cart rows.</summary>
    public long CartsThrough { get; set; }

    /// <summary>True when nothing needs filtering: replay after <paramref name="mark"/> is a plain apply.</summary>
    public bool IsEmptyAfter(long mark) => Sessions.Count == 0 && Carts.Count == 0 && CartsThrough <= mark;

    public bool SessionReflects(string sessionId, long sequence) =>
        Sessions.TryGetValue(sessionId, out var reflected) && reflected >= sequence;

    public bool CartReflects(string owner, long sequence) =>
        sequence <= CartsThrough || (Carts.TryGetValue(owner, out var reflected) && reflected >= sequence);
}
