namespace NowOnline.Core.Presence;

/// <summary>
/// The subscribers of the online list's changes. Invariant: each locked operation of the tracker ends with one
/// <see cref="Flush"/>, so a subscriber receives every row change once, in order, and never half an operation; a new
/// subscriber's initial rows are taken under the same lock as its registration. Not thread-safe: the tracker calls it
/// under its lock (a subscription's own queue has its own lock).
/// </summary>
internal sealed class ChangeFeed
{
    private readonly List<PresenceSubscription> _subscribers = [];

    public int Count => _subscribers.Count;

    public PresenceSubscription Subscribe(OnlineRowIndex rows, Action<PresenceSubscription> unsubscribe)
    {
        var initial = new OnlineRow[rows.Count];
        for (var i = 0; i < initial.Length; i++) initial[i] = rows.Entries[i].Slot.ToRow();
        var subscription = new PresenceSubscription(initial, unsubscribe);
        _subscribers.Add(subscription);
        return subscription;
    }

    public void Remove(PresenceSubscription subscription) => _subscribers.Remove(subscription);

    /// <summary>
    /// Hands the rows changed since the last flush to every subscriber, each coalescing on its own. Rows are built here,
    /// once per changed row and flush, and only when someone is subscribed.
    /// </summary>
    public void Flush(OnlineRowIndex rows)
    {
        var changed = rows.Changed;
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

        rows.ClearChanges();
    }
}
