namespace NowOnline.Web.Security;

public static class ApiKeyDefaults
{
    public const string Scheme = "ApiKey";
    public const string HeaderName = "X-Api-Key";
    public const string StorefrontPolicy = "Storefront";

    /// <summary>Paths where a key may also come as <c>Authorization: Bearer</c> or <c>?access_token=</c> (SignalR clients).</summary>
    public const string HubPathPrefix = "/hubs";
    public const string AccessTokenParameter = "access_token";

    /// <summary>Read access: a storefront key or a signed-in admin (GET /api/online, GET /api/settings, the presence hub).</summary>
    public const string ReaderPolicy = "Reader";

    /// <summary>A signed-in admin only; the same policy as <see cref="SecurityPolicies.Admin"/>.</summary>
    public const string AdminPolicy = SecurityPolicies.Admin;
}
