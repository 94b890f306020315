using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace NowOnline.Web.Security;

/// <summary>The admin sign-in cookie: HttpOnly, SameSite=Strict, Secure over HTTPS; APIs get 401/403 instead of a redirect.</summary>
public static class AdminCookie
{
    public static void Configure(CookieAuthenticationOptions cookie, AdminOptions admin)
    {
        cookie.Cookie.Name = SecurityPolicies.CookieName;
        cookie.Cookie.HttpOnly = true;
        cookie.Cookie.SameSite = SameSiteMode.Strict;
        cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        cookie.LoginPath = SecurityPolicies.LoginPath;
        cookie.AccessDeniedPath = SecurityPolicies.LoginPath;
        cookie.ReturnUrlParameter = "returnUrl";
        cookie.ExpireTimeSpan = TimeSpan.FromMinutes(admin.SessionMinutes);
        cookie.SlidingExpiration = true;
        cookie.Events = new CookieAuthenticationEvents
        {
            OnRedirectToLogin = context => IsApi(context.Request)
                ? WriteProblemAsync(context.HttpContext, StatusCodes.Status401Unauthorized, "Sign in as an admin to use this endpoint.")
                : Redirect(context),
            OnRedirectToAccessDenied = context => IsApi(context.Request)
                ? WriteProblemAsync(context.HttpContext, StatusCodes.Status403Forbidden, "Only a signed-in admin may use this endpoint.")
                : Redirect(context),
            OnValidatePrincipal = ValidateAsync,
        };
    }

    public static ClaimsPrincipal Principal(NowOnline.Core.Admins.AdminUser admin) => new(new ClaimsIdentity(
    [
        new Claim(ClaimTypes.NameIdentifier, admin.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new Claim(ClaimTypes.Name, admin.Email),
        new Claim(ClaimTypes.Role, SecurityPolicies.AdminRole),
        new Claim(SecurityPolicies.SecurityStampClaim, admin.SecurityStamp),
        new Claim(SecurityPolicies.SignInIdClaim, Guid.NewGuid().ToString("N")),
    ], SecurityPolicies.AdminScheme));

    // The CSV export is a download: a redirect would save the sign-in page as the file.
    private static bool IsApi(HttpRequest request) =>
        request.Path.StartsWithSegments("/api") || request.Path.StartsWithSegments("/hubs") || request.Path.StartsWithSegments("/account")
        || request.Path.StartsWithSegments(NowOnline.Web.Api.Online.OnlineExportApi.Path);

    private static Task Redirect(RedirectContext<CookieAuthenticationOptions> context)
    {
        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }

    // A password reset (new stamp) or a removed admin ends every cookie issued before; a sign-out ends its own.
    private static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var principal = context.Principal;
        var id = principal?.FindFirstValue(ClaimTypes.NameIdentifier);
        var stamp = principal?.FindFirstValue(SecurityPolicies.SecurityStampClaim);
        var accounts = context.HttpContext.RequestServices.GetRequiredService<AdminAccounts>();
        var ended = context.HttpContext.RequestServices.GetRequiredService<EndedSignIns>();
        if (!long.TryParse(id, out var adminId) || stamp is null || ended.IsEnded(principal?.FindFirstValue(SecurityPolicies.SignInIdClaim))
            || !await accounts.IsCurrentAsync(adminId, stamp, context.HttpContext.RequestAborted))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(SecurityPolicies.AdminScheme);
        }
    }

    private static async Task WriteProblemAsync(HttpContext http, int status, string detail)
    {
        // With several schemes (a reader endpoint) the key handler may already have answered.
        if (http.Response.HasStarted) return;
        http.Response.StatusCode = status;
        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = { Status = status, Title = status == 401 ? "Unauthorized" : "Forbidden", Detail = detail },
        });
    }
}
