namespace NowOnline.Core.Presence;

// The online list: one row per signed-in customer (their most recent live session) and one per visitor session.
public sealed partial class PresenceTracker
{
    private readonly Dictionary<string, OnlineRow> _rows = new(StringComparer.Ordinal);
    private readonly Dictionary<long, List<SessionState>> _customerSessions = new();
    private readonly Dictionary<string, RowChange> _pending = new(StringComparer.Ordinal);
    private readonly List<PresenceSubscription> _subscribers = [];
    private int _customerRows;

    /// <summary>
    /// Subscribes to the change feed. The subscription starts with the current list, taken atomically
    /// with registration, so no change falls between the snapshot and the first delivered change.
    /// </summary>
    public PresenceSubscription Subscribe()
    {
        lock (_gate)
        {
            var subscription = new PresenceSubscription(_rows.Values.ToList(), Unsubscribe);
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
    private void Reindex(SessionState session, DateTimeOffset now)
    {
        var wasOnline = session.Online;
        var oldCustomer = session.IndexedCustomerId;
        var online = now < session.ExpiresAt(_interval);

        if (wasOnline && oldCustomer is { } previous) RemoveCustomerSession(previous, session);
        session.Online = online;
        session.IndexedCustomerId = online ? session.CustomerId : null;
        if (online && session.CustomerId is { } current) AddCustomerSession(current, session);
        if (online && !session.Queued)
        {
            session.Queued = true;
            _expiry.Enqueue(session, session.ExpiresAt(_interval));
        }

        if (wasOnline && oldCustomer is { } oldId && oldId != session.IndexedCustomerId) RefreshCustomerRow(oldId);
        if (session.IndexedCustomerId is { } newId) RefreshCustomerRow(newId);
        RefreshVisitorRow(session);
    }

    private void AddCustomerSession(long customerId, SessionState session)
    {
        if (!_customerSessions.TryGetValue(customerId, out var sessions))
        {
            sessions = [];
            _customerSessions.Add(customerId, sessions);
        }

        sessions.Add(session);
    }

    private void RemoveCustomerSession(long customerId, SessionState session)
    {
        if (!_customerSessions.TryGetValue(customerId, out var sessions)) return;
        sessions.Remove(session);
        if (sessions.Count == 0) _customerSessions.Remove(customerId);
    }

    private void RefreshCustomerRow(long customerId)
    {
        if (!_customerSessions.TryGetValue(customerId, out var sessions))
        {
            SetRow(OnlineRow.CustomerKey(customerId), null);
            return;
        }

        var key = sessions[0].CustomerKey(customerId);

        var latest = sessions[0];
        foreach (var candidate in sessions)
            if (candidate.LastActivity > latest.LastActivity) latest = candidate;

        var profile = _customers.GetValueOrDefault(customerId);
        SetRow(key, new OnlineRow(key, latest.SessionId, customerId, profile?.FirstName, profile?.LastName,
            profile?.Email, profile?.Company, latest.LastActivity, SessionType.Customer, latest.LastUrl, latest.Store,
            sessions.Count));
    }

    private void RefreshVisitorRow(SessionState session)
    {
        var key = session.VisitorRowKey;
        SetRow(key, session.Online && session.IndexedCustomerId is null
            ? new OnlineRow(key, session.SessionId, null, null, null, null, null, session.LastActivity,
                SessionType.Visitor, session.LastUrl, session.Store, 1)
            : null);
    }

    private void SetRow(string key, OnlineRow? row)
    {
        _rows.TryGetValue(key, out var existing);
        if (existing == row) return;

        if (row is null) _rows.Remove(key);
        else _rows[key] = row;

        if (existing?.Type == SessionType.Customer) _customerRows--;
        if (row?.Type == SessionType.Customer) _customerRows++;
        _pending[key] = new RowChange(key, row);
    }

    /// <summary>Hands the changes of one locked operation to every subscriber, each coalescing on its own.</summary>
    private void FlushChanges()
    {
        if (_pending.Count == 0) return;
        var changes = _pending.Values.ToArray();
        _pending.Clear();
        foreach (var subscriber in _subscribers) subscriber.Publish(changes);
    }
}
