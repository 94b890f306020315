namespace NowOnline.Core.Presence;

// The online list: one row per signed-in customer (their most recent live session) and one per visitor session, kept in
// the OnlineRowIndex. Rows live in mutable slots changed in place under the lock; an immutable OnlineRow is built only when someone reads
// (a query's page, a subscriber's flush), so applying an event allocates no row and leaves no garbage behind.
public sealed partial class PresenceTracker
{
    private readonly OnlineRowIndex _rows = new();
    private readonly Dictionary<long, CustomerOnline> _customerSessions = new();
    private readonly List<PresenceSubscription> _subscribers = [];

    /// <summary>
    /// Subscribes to the change feed. The subscription starts with the current list, taken atomically
    /// with registration, so no change falls between the snapshot and the first delivered change.
    /// </summary>
    public PresenceSubscription Subscribe()
    {
        lock (_gate)
        {
            var rows = new OnlineRow[_rows.Count];
            for (var i = 0; i < rows.Length; i++) rows[i] = _rows.Entries[i].Slot.ToRow();
            var subscription = new PresenceSubscription(rows, Unsubscribe);
            _subscribers.Add(subscription);
            return subscription;
        }
    }

    public int SubscriberCount
    {
        get { lock (_gate) return _subscribers.Count; }
    }

    private void Unsubscribe(PresenceSubscription subscription)
    {
        lock (_gate) _subscribers.Remove(subscription);
    }

    /// <summary>Moves a session into the right place of the online index after its state changed.</summary>
    private void Reindex(SessionState session, long nowTicks)
    {
        var wasOnline = session.Online;
        var oldCustomer = session.IndexedCustomerId;
        var online = nowTicks < session.ExpiresAtTicks(_intervalTicks);
        var newCustomer = online ? session.CustomerId : null;

        // The common case, a session staying online under the same customer, keeps its place in the index.
        if (!(wasOnline && online && oldCustomer == newCustomer))
        {
            if (wasOnline && oldCustomer is { } previous) RemoveCustomerSession(previous, session);
            if (newCustomer is { } current) AddCustomerSession(current, session);
        }

        session.Online = online;
        session.IndexedCustomerId = newCustomer;
        if (online) _expiry.Add(session, session.ExpiresAt(_interval));

        if (wasOnline && oldCustomer is { } oldId && oldId != newCustomer) RefreshCustomerRow(oldId);
        if (newCustomer is { } newId) RefreshCustomerRow(newId, session.Customer);
        RefreshVisitorRow(session);
    }

    private void AddCustomerSession(long customerId, SessionState session)
    {
        if (!_customerSessions.TryGetValue(customerId, out var online))
        {
            online = new CustomerOnline { Profile = _customers.GetValueOrDefault(customerId) };
            _customerSessions.Add(customerId, online);
        }

        online.Add(session);
        session.Customer = online;
    }

    private void RemoveCustomerSession(long customerId, SessionState session)
    {
        session.Customer = null;
        if (!_customerSessions.TryGetValue(customerId, out var online)) return;
        online.Remove(session);
        if (online.Count == 0) _customerSessions.Remove(customerId);
    }

    /// <summary>Rebuilds a customer's row from their live sessions; <paramref name="known"/> saves the lookup when at hand.</summary>
    private void RefreshCustomerRow(long customerId, CustomerOnline? known = null)
    {
        if ((known ?? _customerSessions.GetValueOrDefault(customerId)) is not { } online)
        {
            _rows.Remove(OnlineRow.CustomerKey(customerId));
            return;
        }

        var latest = online[0];
        foreach (var candidate in online)
            if (candidate.LastActivityTicks > latest.LastActivityTicks) latest = candidate;

        // The customer's row stays the same slot while any of their sessions is online: no lookup by key.
        var slot = online.Row ??= _rows.TryGet(latest.CustomerKey(customerId), out var existing)
            ? existing
            : _rows.Add(latest.CustomerKey(customerId), SessionType.Customer);
        if (slot.Set(latest, customerId, online.Profile, online.Count)) _rows.MarkChanged(slot);
    }

    private void RefreshVisitorRow(SessionState session)
    {
        var slot = session.VisitorSlot;
        if (!session.Online || session.IndexedCustomerId is not null)
        {
            if (slot is null) return;
            session.VisitorSlot = null;
            _rows.Remove(slot.Key);
            return;
        }

        slot ??= session.VisitorSlot = _rows.Add(OnlineRow.VisitorKey(session.SessionId), SessionType.Visitor);
        if (slot.Set(session, null, null, 1)) _rows.MarkChanged(slot);
    }

    /// <summary>
    /// Hands the changes of one locked operation to every subscriber, each coalescing on its own. Rows are built here,
    /// once per changed row and flush, and only when someone is subscribed.
    /// </summary>
    private void FlushChanges()
    {
        var changed = _rows.Changed;
        if (changed.Count == 0) return;
        if (_subscribers.Count > 0)
        {
            // A key that left and came back within one operation has two slots here, in that order: the last one wins.
            var changes = new RowChange[changed.Count];
            for (var i = 0; i < changes.Length; i++)
            {
                var slot = changed[i];
                changes[i] = new RowChange(slot.Key, slot.Present ? slot.ToRow() : null);
            }

            foreach (var subscriber in _subscribers) subscriber.Publish(changes);
        }

        _rows.ClearChanges();
    }
}

/// <summary>The live sessions of one signed-in customer, and the customer's row while any of them is online.</summary>
internal sealed class CustomerOnline : List<SessionState>
{
    public CustomerOnline() : base(1) { }

    public RowSlot? Row { get; set; }

    /// <summary>The customer's profile, kept in step with the tracker's profiles when a sign-in brings a new one.</summary>
    public CustomerProfile? Profile { get; set; }
}
