using NowOnline.Core.Presence;

namespace NowOnline.Core.Persistence;

/// <summary>
/// One state checkpoint on its way to the database, written in slices, each its own short transaction between two commit
/// groups, so that no request waits for a whole checkpoint (ADR-003). Every row carries the log sequence of the snapshot
/// (<see cref="Sequence"/>); the <c>Checkpoints</c> mark moves to it only with the last slice, once every row is written.
/// <para>
/// Order within a pass, on which the replay at start relies (<see cref="PresenceTracker"/>'s replay filter): every cart
/// before any customer or session, and customers' carts (<c>c:…</c>) before visitors' (<c>s:…</c>). So a session row at
/// sequence <c>a</c> means every cart change up to <c>a</c> is in the cart rows, and a visitor cart written after a sign-in
/// merged it means the customer's cart was written too.
/// </para>
/// </summary>
internal sealed class ActivityLogCheckpointPass
{
    public ActivityLogCheckpointPass(PresenceCheckpoint checkpoint)
    {
        Checkpoint = checkpoint;
        // Ordinal key order: neighbouring keys share B-tree pages (each page found and dirtied once per pass), and "c:" < "s:".
        Carts = checkpoint.Carts.OrderBy(c => c.Owner, StringComparer.Ordinal).ToArray();
        Customers = checkpoint.Customers.OrderBy(c => c.Id).ToArray();
        Sessions = checkpoint.Sessions.OrderBy(s => s.SessionId, StringComparer.Ordinal).ToArray();
    }

    /// <summary>The snapshot as the tracker gave it (returned to the tracker whole when a slice fails).</summary>
    public PresenceCheckpoint Checkpoint { get; }

    /// <summary>The log position every row of this pass reflects.</summary>
    public long Sequence => Checkpoint.Sequence;

    public CartSnapshot[] Carts { get; }
    public CustomerProfile[] Customers { get; }
    public SessionSnapshot[] Sessions { get; }

    public int NextCart { get; set; }
    public int NextCustomer { get; set; }
    public int NextSession { get; set; }

    public bool Done { get; set; }

    /// <summary>How many transactions the pass took so far.</summary>
    public int Slices { get; set; }
}
