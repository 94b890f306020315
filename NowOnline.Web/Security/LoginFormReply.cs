namespace NowOnline.Web.Security;

/// <summary>
/// What a browser that posted the sign-in form gets back when the sign-in did not happen: the sign-in page again with a
/// fixed error code in its address, and the e-mail it typed kept for that page in a short-lived cookie (never in the
/// address, so it stays out of logs and history). Other clients get problem details from <see cref="AccountEndpoints"/>.
/// </summary>
public static class LoginFormReply
{
    /// <summary>The e-mail of the last refused sign-in, for the next rendering of <c>/login</c> only.</summary>
    public const string EmailCookie = "nowonline-login-email";

    public const string Invalid = "invalid";
    public const string Locked = "locked";
    public const string Expired = "expired";
    public const string MissingEmail = "missing-email";
    public const string MissingPassword = "missing-password";
    public const string Missing = "missing";
    public const string BadForm = "bad-form";

    private const int MaxEmailLength = 254;

    /// <summary>A form post from a page (the browser asks for HTML), as opposed to a script or tool.</summary>
    public static bool FromBrowser(HttpContext http) =>
        http.Request.Headers.Accept.Any(value => value?.Contains("text/html", StringComparison.OrdinalIgnoreCase) == true);

    /// <summary>Back to the sign-in form with <paramref name="error"/>, keeping <paramref name="email"/> when it is usable.</summary>
    public static IResult Redirect(HttpContext http, string error, string? email, string returnUrl)
    {
        if (Usable(email) is { } kept)
        {
            http.Response.Cookies.Append(EmailCookie, kept, new CookieOptions
            {
                HttpOnly = true, SameSite = SameSiteMode.Strict, Secure = http.Request.IsHttps, Path = SecurityPolicies.LoginPath,
                MaxAge = TimeSpan.FromMinutes(2), IsEssential = true,
            });
        }

        return TypedResults.Redirect($"{SecurityPolicies.LoginPath}?error={error}&returnUrl={Uri.EscapeDataString(returnUrl)}");
    }

    /// <summary>Reads the kept e-mail once (the cookie is removed with this response); null when there is none.</summary>
    public static string? TakeEmail(HttpContext http)
    {
        var email = Usable(http.Request.Cookies[EmailCookie]);
        if (http.Request.Cookies.ContainsKey(EmailCookie) && !http.Response.HasStarted)
            http.Response.Cookies.Delete(EmailCookie, new CookieOptions { Path = SecurityPolicies.LoginPath });
        return email;
    }

    /// <summary>The text shown for an error code; fixed texts only, nothing from the address is echoed.</summary>
    public static string? Message(string? error) => error switch
    {
        null or "" or MissingEmail or MissingPassword or Missing => null,
        Invalid => "The email or password is not correct.",
        Locked => "Too many failed sign-ins: this account is locked for a while. Try again later.",
        Expired => "The sign-in form had expired, so nothing was checked. Enter your password again and sign in.",
        _ => "Sign-in failed. Try again.",
    };

    private static string? Usable(string? email) =>
        email is { Length: > 0 and <= MaxEmailLength } && !email.Any(char.IsControl) && !string.IsNullOrWhiteSpace(email) ? email.Trim() : null;
}
