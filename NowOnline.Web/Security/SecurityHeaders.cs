namespace NowOnline.Web.Security;

/// <summary>
/// Headers on every response. The Content-Security-Policy fits Blazor Server and MudBlazor: scripts only from this site
/// (blazor.web.js, MudBlazor.min.js, app.js, theme.js; none needs eval, and there is no inline script or import map),
/// the circuit's WebSocket to this site, and no framing by anyone. Styles allow inline: MudThemeProvider writes the
/// palette as a <c>&lt;style&gt;</c> element and MudBlazor positions drawers, popovers and dialogs with <c>style</c>
/// attributes; a nonce cannot cover attributes, and the elements are re-created by the circuit after prerendering.
/// </summary>
public static class SecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; " +
        "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        return next(context);
    });
}
