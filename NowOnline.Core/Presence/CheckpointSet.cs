namespace NowOnline.Core.Presence;

/// <summary>
/// What changed since the last checkpoint, so the state tables can be written behind the durable event log. Sessions and
/// carts carry their own flag (no hashing on the hot path, measured in "Apply to the tracker" of the performance notes):
/// each is listed once however often it changes, and a flag is set exactly while its owner is listed here.
/// Not thread-safe: the tracker touches it under its lock.
/// </summary>
internal sealed class CheckpointSet
{
    private readonly List<SessionState> _sessions = [];
    private readonly HashSet<long> _customers = [];
    private readonly List<Cart> _carts = [];

    public bool IsEmpty => _sessions.Count == 0 && _customers.Count == 0 && _carts.Count == 0;

    public void Add(SessionState session)
    {
        if (session.CheckpointDirty) return;
        session.CheckpointDirty = true;
        _sessions.Add(session);
    }

    public void AddCustomer(long customerId) => _customers.Add(customerId);

    public void Add(Cart cart)
    {
        if (cart.CheckpointDirty) return;
        cart.CheckpointDirty = true;
        _carts.Add(cart);
    }

    /// <summary>Snapshots everything listed, clears the flags and the lists (which keep their capacity).</summary>
    public PresenceCheckpoint Take(long sequence, Func<long, CustomerProfile?> profileOf)
    {
        var sessions = new List<SessionSnapshot>(_sessions.Count);
        foreach (var session in _sessions)
        {
            session.CheckpointDirty = false;
            if (!session.Forgotten) sessions.Add(session.ToSnapshot());
        }

        var customers = _customers.Select(profileOf).OfType<CustomerProfile>().ToList();
        // An owner whose cart left and came back has two carts here, the live one last: the last one wins.
        var byOwner = new Dictionary<string, CartSnapshot>(_carts.Count, StringComparer.Ordinal);
        foreach (var cart in _carts)
        {
            cart.CheckpointDirty = false;
            byOwner[cart.Owner] = new CartSnapshot(cart.Owner, cart.Removed ? [] : cart.Lines.ToList());
        }

        _sessions.Clear();
        _customers.Clear();
        _carts.Clear();
        return new PresenceCheckpoint(sequence, sessions, customers, byOwner.Values.ToList());
    }
}
