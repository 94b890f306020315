using System.Text.Json.Serialization;

namespace NowOnline.Tests.Support;

/// <summary>
/// The one builder for POST /api/activity bodies, as a storefront sends them. An instance is one test's own shop: its
/// session ids carry a <see cref="Tag"/> no other test uses and <see cref="NewCustomerId"/> hands out customer ids no
/// other test uses, so tests can share one app and still find only their own rows (search or filter by the tag).
/// <see cref="Untagged"/> keeps session ids as written, for a test that has an app of its own.
/// </summary>
public sealed class StorefrontEvents
{
    private static long _lastCustomerId = 100_000;

    private StorefrontEvents(string? tag) => Tag = tag;

    /// <summary>A shop whose session ids and customer ids no other test in this run uses.</summary>
    public static StorefrontEvents Tagged() => new("t" + Guid.NewGuid().ToString("N")[..12]);

    /// <summary>A shop whose session ids are exactly as written (for an app of the test's own).</summary>
    public static StorefrontEvents Untagged() => new(null);

    /// <summary>The text every session id of this shop contains (null when untagged).</summary>
    public string? Tag { get; }

    /// <summary>The session id the storefront sends for the test's short name, e.g. "s-1".</summary>
    public string SessionId(string name) => Tag is null ? name : $"{Tag}-{name}";

    /// <summary>The hub and grid key of a visitor's row.</summary>
    public string VisitorKey(string session) => "v:" + SessionId(session);

    public static string CustomerKey(long customerId) => $"c:{customerId}";

    /// <summary>A customer id no other test of this run uses.</summary>
    public static long NewCustomerId() => Interlocked.Increment(ref _lastCustomerId);

    public ActivityBody Login(string session, long customerId, string firstName = "Ada", string lastName = "Lovelace",
        string? email = null, string? company = "Analytical Ltd", DateTimeOffset? occurredAt = null, string? eventId = null,
        string url = "https://shop.example/customer/account", string? store = "default") =>
        new("login", SessionId(session))
        {
            Customer = new CustomerBody(customerId, firstName, lastName, email ?? $"customer{customerId}@example.com", company),
            Url = url, Store = store, OccurredAt = occurredAt, EventId = eventId,
        };

    public ActivityBody Register(string session, long customerId, string firstName = "Ada", string lastName = "Lovelace") =>
        Login(session, customerId, firstName, lastName, url: "https://shop.example/customer/account/create") with { Type = "register" };

    public ActivityBody Logout(string session, DateTimeOffset? occurredAt = null) =>
        new("logout", SessionId(session)) { Url = "https://shop.example/customer/account/logout", OccurredAt = occurredAt };

    public ActivityBody CartAdd(string session, string sku = "WB-01", int qty = 1, string? url = "https://shop.example/checkout/cart",
        DateTimeOffset? occurredAt = null, string? eventId = null, string? userAgent = null, string? itemName = "Water bottle") =>
        new("cart_add", SessionId(session))
        {
            Item = new ItemBody(sku, itemName, qty), Url = url, OccurredAt = occurredAt, EventId = eventId, UserAgent = userAgent,
        };

    public ActivityBody PageView(string session, string url = "https://shop.example/sale.html", DateTimeOffset? occurredAt = null) =>
        new("page_view", SessionId(session)) { Url = url, OccurredAt = occurredAt };
}

/// <summary>One storefront event as JSON; optional fields that are null are left out, as a storefront leaves them out.</summary>
public sealed record ActivityBody(string Type, string SessionId)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? EventId { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? OccurredAt { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public CustomerBody? Customer { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ItemBody? Item { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Url { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Store { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? UserAgent { get; init; }
}

public sealed record CustomerBody(
    long Id,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? FirstName,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? LastName,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Email,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Company);

public sealed record ItemBody(string Sku, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Name, int Qty);
