namespace NowOnline.Core.Presence;

// What changed since the last checkpoint, so state tables can be written behind the durable event log.
public sealed partial class PresenceTracker
{
    // Sessions carry their own dirty flag (no hashing on the hot path); the list holds each dirty session once.
    private readonly List<SessionState> _dirtySessions = [];
    private readonly HashSet<long> _dirtyCustomers = [];
    private readonly List<Cart> _dirtyCarts = [];

    private void MarkSessionDirty(SessionState session)
    {
        if (session.CheckpointDirty) return;
        session.CheckpointDirty = true;
        _dirtySessions.Add(session);
    }

    private void MarkCustomerDirty(long customerId) => _dirtyCustomers.Add(customerId);

    private void MarkCartDirty(Cart cart)
    {
        if (cart.CheckpointDirty) return;
        cart.CheckpointDirty = true;
        _dirtyCarts.Add(cart);
    }

    /// <summary>
    /// Takes the state changed since the last checkpoint, consistent with <see cref="PresenceCheckpoint.Sequence"/>:
    /// every logged event up to that sequence is reflected, none after it.
    /// </summary>
    public PresenceCheckpoint TakeCheckpoint()
    {
        lock (_gate)
        {
            var sessions = new List<SessionSnapshot>(_dirtySessions.Count);
            foreach (var session in _dirtySessions)
            {
                session.CheckpointDirty = false;
                if (!session.Forgotten) sessions.Add(session.ToSnapshot());
            }

            var customers = _dirtyCustomers
                .Select(id => _customers.GetValueOrDefault(id)).OfType<CustomerProfile>().ToList();
            // An owner whose cart left and came back has two carts here, the live one last: the last one wins.
            var byOwner = new Dictionary<string, CartSnapshot>(_dirtyCarts.Count, StringComparer.Ordinal);
            foreach (var cart in _dirtyCarts)
            {
                cart.CheckpointDirty = false;
                byOwner[cart.Owner] = new CartSnapshot(cart.Owner, cart.Removed ? [] : cart.Lines.ToList());
            }

            var carts = byOwner.Values.ToList();
            // Cleared, not replaced: the sets keep their capacity, so the next second's changes allocate nothing.
            _dirtySessions.Clear();
            _dirtyCustomers.Clear();
            _dirtyCarts.Clear();
            return new PresenceCheckpoint(_appliedSequence, sessions, customers, carts);
        }
    }

    /// <summary>Puts a checkpoint that could not be written back into the dirty sets, to be retried.</summary>
    public void ReturnCheckpoint(PresenceCheckpoint checkpoint)
    {
        lock (_gate)
        {
            foreach (var snapshot in checkpoint.Sessions)
                if (_sessions.TryGetValue(snapshot.SessionId, out var session)) MarkSessionDirty(session);
            foreach (var customer in checkpoint.Customers) _dirtyCustomers.Add(customer.Id);
            foreach (var cart in checkpoint.Carts)
                MarkCartDirty(_carts.TryGetValue(cart.Owner, out var live) ? live : new Cart(cart.Owner) { Removed = true });
        }
    }

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
            foreach (var seen in state.EventIds) RememberEventId(seen.EventId, seen.SeenAt.UtcTicks);
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
            ClearChanges();
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
