namespace NowOnline.Core.Presence;

// Checkpoints: the state changed since the last one (CheckpointSet), taken consistent with the log position applied.
public sealed partial class PresenceTracker
{
    /// <summary>
    /// Takes the state changed since the last checkpoint, consistent with <see cref="PresenceCheckpoint.Sequence"/>:
    /// every logged event up to that sequence is reflected, none after it.
    /// </summary>
    public PresenceCheckpoint TakeCheckpoint()
    {
        lock (_gate) return _checkpoint.Take(_appliedSequence, id => _customers.GetValueOrDefault(id));
    }

    /// <summary>Puts a checkpoint that could not be written back into the dirty sets, to be retried.</summary>
    public void ReturnCheckpoint(PresenceCheckpoint checkpoint)
    {
        lock (_gate)
        {
            foreach (var snapshot in checkpoint.Sessions)
                if (_sessions.TryGetValue(snapshot.SessionId, out var session)) _checkpoint.Add(session);
            foreach (var customer in checkpoint.Customers) _checkpoint.AddCustomer(customer.Id);
            foreach (var cart in checkpoint.Carts)
                _checkpoint.Add(_carts.TryGetValue(cart.Owner, out var live) ? live : new Cart(cart.Owner) { Removed = true });
        }
    }

    /// <summary>
    /// Replays logged events after <see cref="Restore"/> when some state rows reflect a later log position than the state's
    /// sequence (a checkpoint pass cut between two of its slices): each event's effect on a row that already reflects it
    /// is skipped. <paramref name="sequences"/> gives each event's log sequence, in ascending order.
    /// </summary>
    internal ApplyResult Replay(IReadOnlyList<ActivityEvent> events, IReadOnlyList<long> sequences, RestoredRows restored) =>
        ApplyCore(events, sequences.Count == 0 ? 0 : sequences[^1], sequences, restored);

    /// <summary>Loads persisted state at start, before any event is applied.</summary>
    public void Restore(PresenceState state)
    {
        var now = _clock.GetUtcNow().UtcTicks;
        lock (_gate)
        {
            foreach (var customer in state.Customers) _customers[customer.Id] = customer;
            foreach (var cart in state.Carts)
            {
                var restored = new Cart(cart.Owner);
                foreach (var line in cart.Lines) restored.Apply(ActivityType.CartUpdate, line);
                _carts[cart.Owner] = restored;
            }
            foreach (var seen in state.EventIds) _eventIds.Remember(seen.EventId, seen.SeenAt.UtcTicks);
            foreach (var snapshot in state.Sessions)
            {
                var session = new SessionState(snapshot.SessionId, snapshot.StartedAt)
                {
                    CustomerId = snapshot.CustomerId,
                    LastActivity = snapshot.LastActivity,
                    LastUrl = snapshot.LastUrl,
                    Store = snapshot.Store,
                    UserAgent = snapshot.UserAgent,
                };
                _sessions[session.SessionId] = session;
                Reindex(session, now);
            }

            _appliedSequence = Math.Max(_appliedSequence, state.Sequence);
            _rows.ClearChanges();
        }
    }
}

public sealed record CartSnapshot(string Owner, IReadOnlyList<CartLine> Lines);

public sealed record SeenEvent(string EventId, DateTimeOffset SeenAt);

public sealed record PresenceCheckpoint(
    long Sequence,
    IReadOnlyList<SessionSnapshot> Sessions,
    IReadOnlyList<CustomerProfile> Customers,
    IReadOnlyList<CartSnapshot> Carts)
{
    public bool IsEmpty => Sessions.Count == 0 && Customers.Count == 0 && Carts.Count == 0;
}

public sealed record PresenceState(
    long Sequence,
    IReadOnlyList<SessionSnapshot> Sessions,
    IReadOnlyList<CustomerProfile> Customers,
    IReadOnlyList<CartSnapshot> Carts,
    IReadOnlyList<SeenEvent> EventIds);

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
