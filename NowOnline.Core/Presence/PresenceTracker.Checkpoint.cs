namespace NowOnline.Core.Presence;

// What changed since the last checkpoint, so state tables can be written behind the durable event log.
public sealed partial class PresenceTracker
{
    private HashSet<string> _dirtySessions = new(StringComparer.Ordinal);
    private HashSet<long> _dirtyCustomers = [];
    private HashSet<string> _dirtyCarts = new(StringComparer.Ordinal);

    private void MarkSessionDirty(string sessionId) => _dirtySessions.Add(sessionId);

    private void MarkCustomerDirty(long customerId) => _dirtyCustomers.Add(customerId);

    private void MarkCartDirty(string owner) => _dirtyCarts.Add(owner);

    /// <summary>
    /// Takes the state changed since the last checkpoint, consistent with <see cref="PresenceCheckpoint.Sequence"/>:
    /// every logged event up to that sequence is reflected, none after it.
    /// </summary>
    public PresenceCheckpoint TakeCheckpoint()
    {
        lock (_gate)
        {
            var sessions = _dirtySessions
                .Select(id => _sessions.TryGetValue(id, out var s) ? s.ToSnapshot() : null)
                .OfType<SessionSnapshot>().ToList();
            var customers = _dirtyCustomers
                .Select(id => _customers.GetValueOrDefault(id)).OfType<CustomerProfile>().ToList();
            var carts = _dirtyCarts
                .Select(owner => new CartSnapshot(owner,
                    _carts.TryGetValue(owner, out var cart) ? cart.Values.ToList() : []))
                .ToList();
            _dirtySessions = new HashSet<string>(StringComparer.Ordinal);
            _dirtyCustomers = [];
            _dirtyCarts = new HashSet<string>(StringComparer.Ordinal);
            return new PresenceCheckpoint(_appliedSequence, sessions, customers, carts);
        }
    }

    /// <summary>Puts a checkpoint that could not be written back into the dirty sets, to be retried.</summary>
    public void ReturnCheckpoint(PresenceCheckpoint checkpoint)
    {
        lock (_gate)
        {
            foreach (var session in checkpoint.Sessions) _dirtySessions.Add(session.SessionId);
            foreach (var customer in checkpoint.Customers) _dirtyCustomers.Add(customer.Id);
            foreach (var cart in checkpoint.Carts) _dirtyCarts.Add(cart.Owner);
        }
    }

    /// <summary>Loads persisted state at start, before any event is applied.</summary>
    public void Restore(PresenceState state)
    {
        var now = _clock.GetUtcNow();
        lock (_gate)
        {
            foreach (var customer in state.Customers) _customers[customer.Id] = customer;
            foreach (var cart in state.Carts)
                _carts[cart.Owner] = cart.Lines.ToDictionary(l => l.Sku, StringComparer.Ordinal);
            foreach (var seen in state.EventIds) RememberEventId(seen.EventId, seen.SeenAt);
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
            _pending.Clear();
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
