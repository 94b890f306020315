namespace NowOnline.Core.Presence;

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
