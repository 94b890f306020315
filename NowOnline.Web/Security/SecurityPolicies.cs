using Microsoft.AspNetCore.Authentication.Cookies;

namespace NowOnline.Web.Security;

/// <summary>Names of the authorization policies and the admin cookie scheme.</summary>
public static class SecurityPolicies
{
    /// <summary>A signed-in admin (cookie) only: pages, PUT /api/settings, the presence hub.</summary>
    public const string Admin = "Admin";

    public const string AdminScheme = CookieAuthenticationDefaults.AuthenticationScheme;
    public const string AdminRole = "admin";
    public const string SecurityStampClaim = "nowonline:stamp";

    /// <summary>One id per sign-in, so a sign-out can end exactly that sign-in's open pages (<see cref="EndedSignIns"/>).</summary>
    public const string SignInIdClaim = "nowonline:sid";
    public const string CookieName = "NowOnline.Admin";
    public const string LoginPath = "/login";
}
