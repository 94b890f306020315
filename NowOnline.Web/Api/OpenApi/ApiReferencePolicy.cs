using NowOnline.Web.Security;

namespace NowOnline.Web.Api.OpenApi;

/// <summary>
/// The API reference page's own Content-Security-Policy. Scalar starts from an inline script and styles itself
/// inline, which the app-wide policy (<see cref="SecurityHeaders"/>) forbids; this exception applies to the
/// reference page's routes only, for signed-in admins.
/// </summary>
public static class ApiReferencePolicy
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
        "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public static ValueTask<object?> Apply(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        context.HttpContext.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        return next(context);
    }
}
