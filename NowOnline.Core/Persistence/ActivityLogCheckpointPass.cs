using NowOnline.Core.Presence;

namespace NowOnline.Core.Persistence;

/// <summary>
/// One state checkpoint on its way to the database, written in slices, each its own short transaction between two commit
/// groups, so that no request waits for a whole checkpoint (ADR-003). Every row carries the log sequence of the pass
/// (<see cref="Sequence"/>); the <c>Checkpoints</c> mark moves to it only with the last slice, once every row is written.
/// <para>
/// Order within a pass, on which the replay at start relies (<see cref="PresenceTracker"/>'s replay filter): every cart
/// before any customer or session, and customers' carts (<c>c:…</c>) before visitors' (<c>s:…</c>). So a session row at
/// sequence <c>a</c> means every cart change up to <c>a</c> is in the cart rows, and a visitor cart written after a sign-in
/// merged it means the customer's cart was written too. The rows come from <see cref="CheckpointPass"/> in that order.
/// </para>
/// </summary>
internal sealed class ActivityLogCheckpointPass(CheckpointPass rows)
{
    /// <summary>Where the rows come from (given back to the tracker when a slice fails).</summary>
    public CheckpointPass Rows { get; } = rows;

    /// <summary>The log position every row of this pass reflects.</summary>
    public long Sequence => Rows.Sequence;

    public bool Done { get; set; }

    /// <summary>How many transactions the pass took so far.</summary>
    public int Slices { get; set; }

    /// <summary>How many state rows (a cart one per line) the pass wrote so far.</summary>
    public long RowsWritten { get; set; }
}
