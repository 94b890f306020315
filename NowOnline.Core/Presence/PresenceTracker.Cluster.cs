namespace NowOnline.Core.Presence;

// Several nodes (ADR-007): the node that becomes the cluster's checkpoint writer writes its whole state once.
public sealed partial class PresenceTracker
{
    /// <summary>
    /// Lists every session, customer and cart for the next <see cref="TakeCheckpoint"/>. A node that takes over the
    /// checkpoint from another has discarded its own change sets until then (the other node wrote them), so its first
    /// checkpoint must be whole to be consistent with the sequence it names.
    /// </summary>
    public void MarkAllForCheckpoint()
    {
        lock (_gate)
        {
            foreach (var session in _sessions.Values) _checkpoint.Add(session);
            foreach (var customerId in _customers.Keys) _checkpoint.AddCustomer(customerId);
            foreach (var cart in _carts.Values) _checkpoint.Add(cart);
        }
    }
}
