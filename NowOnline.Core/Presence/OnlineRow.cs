namespace NowOnline.Core.Presence;

/// <summary>
/// One row of the Now Online grid: a logged-in customer (one row across all their devices)
/// or one visitor session.
/// </summary>
public sealed record OnlineRow(
    string Key,
    string SessionId,
    long? CustomerId,
    string? FirstName,
    string? LastName,
    string? Email,
    string? Company,
    DateTimeOffset LastActivity,
    SessionType Type,
    string? LastUrl,
    string? Store,
    int SessionCount)
{
    public static string CustomerKey(long customerId) => $"c:{customerId}";

    public static string VisitorKey(string sessionId) => $"v:{sessionId}";
}

/// <summary>A change of the online list: <see cref="Row"/> is the new state, or null when the row left.</summary>
public sealed record RowChange(string Key, OnlineRow? Row)
{
    public bool Removed => Row is null;
}
