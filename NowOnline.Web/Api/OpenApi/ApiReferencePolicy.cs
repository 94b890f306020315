using Scalar.AspNetCore;
using NowOnline.Web.Security;

namespace NowOnline.Web.Api.OpenApi;

/// <summary>
/// The API reference page's own Content-Security-Policy: the app-wide policy (<see cref="SecurityHeaders"/>) allows no
/// inline script, and Scalar starts from one. Scalar writes a fresh nonce on its script tags per request; this policy
/// allows exactly that nonce, on the reference page's routes only (signed-in admins). Styles stay as app-wide.
/// </summary>
public static class ApiReferencePolicy
{
    public static string ContentSecurityPolicy(string nonce) =>
        $"default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
        "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public static ValueTask<object?> Apply(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        // The nonce exists once Scalar has rendered the page, so the header is set as the response starts.
        http.Response.OnStarting(() =>
        {
            if (http.Items[ScalarOptions.NonceHttpContextItemKey] is string nonce)
                http.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy(nonce);
            return Task.CompletedTask;
        });
        return next(context);
    }
}
