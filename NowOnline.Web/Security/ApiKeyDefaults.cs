namespace NowOnline.Web.Security;

public static class ApiKeyDefaults
{
    public const string Scheme = "ApiKey";
    public const string HeaderName = "X-Api-Key";
    public const string StorefrontPolicy = "Storefront";

    /// <summary>Read access: a storefront key or a signed-in admin (GET /api/online, GET /api/settings).</summary>
    public const string ReaderPolicy = "Reader";

    /// <summary>A signed-in admin only; the same policy as <see cref="SecurityPolicies.Admin"/>.</summary>
    public const string AdminPolicy = SecurityPolicies.Admin;
}
