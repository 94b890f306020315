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
