namespace NowOnline.Web.Security;

public static class ApiKeyDefaults
{
    public const string Scheme = "ApiKey";
    public const string HeaderName = "X-Api-Key";
    public const string StorefrontPolicy = "Storefront";

    /// <summary>Read access: a storefront key (and, with admin sign-in, a signed-in admin).</summary>
    public const string ReaderPolicy = "Reader";
}
