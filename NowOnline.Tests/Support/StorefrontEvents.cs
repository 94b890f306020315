namespace NowOnline.Tests.Support;

/// <summary>Bodies for POST /api/activity, as a storefront sends them.</summary>
public static class StorefrontEvents
{
    public static object Login(string session, long customerId, DateTimeOffset? occurredAt = null) => new
    {
        type = "login",
        sessionId = session,
        customer = new
        {
            id = customerId,
            firstName = customerId == 42 ? "Ada" : "Grace",
            lastName = customerId == 42 ? "Lovelace" : "Hopper",
            email = $"customer{customerId}@example.com",
            company = "Analytical Ltd",
        },
        url = "https://shop.example/customer/account",
        store = "default",
        occurredAt,
    };

    public static object Logout(string session) => new { type = "logout", sessionId = session, url = "https://shop.example/customer/account/logout" };

    public static object CartAdd(string session, string sku = "WB-01", string? url = null) => new
    {
        type = "cart_add",
        sessionId = session,
        item = new { sku, name = "Water bottle", qty = 1 },
        url = url ?? "https://shop.example/checkout/cart",
    };
}
