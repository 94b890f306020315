using NowOnline.Core.Presence;

namespace NowOnline.Tests.Support;

/// <summary>Builders for the storefront's events, with the defaults a test rarely cares about.</summary>
public static class Events
{
    public static CustomerProfile Ada { get; } = new(42, "Ada", "Lovelace", "ada@example.com", "Analytical Ltd");

    public static CustomerProfile Grace { get; } = new(43, "Grace", "Hopper", "grace@example.com", "Cobol Systems");

    public static ActivityEvent Login(string session, DateTimeOffset at, CustomerProfile? customer = null, string? eventId = null, string? url = null) =>
        new(eventId, ActivityType.Login, session, at, customer ?? Ada, url ?? "https://shop.example/customer/account", Store: "default");

    public static ActivityEvent Register(string session, DateTimeOffset at, CustomerProfile customer) =>
        new(null, ActivityType.Register, session, at, customer, "https://shop.example/customer/account/create");

    public static ActivityEvent Logout(string session, DateTimeOffset at) =>
        new(null, ActivityType.Logout, session, at, Url: "https://shop.example/customer/account/logout");

    public static ActivityEvent CartAdd(string session, DateTimeOffset at, string sku = "WB-01", int qty = 1, string? eventId = null) =>
        new(eventId, ActivityType.CartAdd, session, at, Item: new CartLine(sku, "Water bottle", qty), Url: "https://shop.example/checkout/cart");

    public static ActivityEvent CartRemove(string session, DateTimeOffset at, string sku = "WB-01") =>
        new(null, ActivityType.CartRemove, session, at, Item: new CartLine(sku, null, 0));

    public static ActivityEvent PageView(string session, DateTimeOffset at, string url = "https://shop.example/sale.html") =>
        new(null, ActivityType.PageView, session, at, Url: url);
}
