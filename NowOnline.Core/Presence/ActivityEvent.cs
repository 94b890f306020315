namespace NowOnline.Core.Presence;

/// <summary>One thing a shopper did on the storefront, already validated.</summary>
public sealed record ActivityEvent(
    string? EventId,
    ActivityType Type,
    string SessionId,
    DateTimeOffset OccurredAt,
    CustomerProfile? Customer = null,
    string? Url = null,
    CartLine? Item = null,
    string? Store = null,
    string? UserAgent = null);

/// <summary>A registered customer's profile as the storefront reports it.</summary>
public sealed record CustomerProfile(long Id, string? FirstName, string? LastName, string? Email, string? Company);

/// <summary>One line of a cart.</summary>
public sealed record CartLine(string Sku, string? Name, int Qty);
