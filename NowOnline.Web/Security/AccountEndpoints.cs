using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.Features;

namespace NowOnline.Web.Security;

/// <summary>
/// <c>POST /account/login</c> and <c>POST /account/logout</c>: the sign-in form posts here as a real HTTP request,
/// because a cookie cannot be set from an interactive (SignalR) render. See docs/decisions/ADR-004.
/// </summary>
public static class AccountEndpoints
{
    public const int MaxFormBytes = 16 * 1024;
    public const string DefaultReturnUrl = "/customers/online";

    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        var account = app.MapGroup("/account").WithTags("Account").AllowAnonymous().DisableAntiforgery();
        account.MapPost("/login", SignInAsync)
            .WithName("SignIn")
            .WithSummary("Checks the admin's email and password (form post with antiforgery token), sets the admin cookie and redirects.");
        account.MapPost("/logout", SignOutAsync)
            .WithName("SignOut")
            .WithSummary("Removes the admin cookie (form post with antiforgery token) and redirects to the sign-in page.");
        return app;
    }

    internal static async Task<IResult> SignInAsync(HttpContext http, IAntiforgery antiforgery, AdminAccounts accounts, CancellationToken cancellationToken)
    {
        // A browser gets the sign-in form back with a message and its e-mail kept; a script or tool gets problem details.
        var browser = LoginFormReply.FromBrowser(http);
        if (await CheckFormAsync(http, antiforgery) is { } refused)
        {
            if (!browser || !refused.TokenRefused) return refused.Reply;
            var posted = await TryReadFormAsync(http, cancellationToken);
            return LoginFormReply.Redirect(http, LoginFormReply.Expired, posted?["email"].ToString(), LocalUrl(posted?["returnUrl"].ToString()));
        }

        var form = await http.Request.ReadFormAsync(cancellationToken);
        var errors = new Dictionary<string, string[]>();
        var email = Field(form, "email", 254, required: true, errors);
        var password = Field(form, "password", AdminOptions.MaxPasswordLength, required: true, errors, allowBlank: true);
        var returnUrl = Field(form, "returnUrl", 2048, required: false, errors);
        var target = LocalUrl(returnUrl);
        if (errors.Count > 0)
        {
            if (!browser) return TypedResults.ValidationProblem(errors, title: "The sign-in form is not valid.");
            var blankEmail = form["email"].Count == 1 && string.IsNullOrWhiteSpace(form["email"].ToString());
            var blankPassword = form["password"].Count == 1 && form["password"].ToString().Length == 0;
            var error = (blankEmail, blankPassword, errors.Count) switch
            {
                (true, true, 2) => LoginFormReply.Missing,
                (true, false, 1) => LoginFormReply.MissingEmail,
                (false, true, 1) => LoginFormReply.MissingPassword,
                _ => LoginFormReply.BadForm,
            };
            return LoginFormReply.Redirect(http, error, form["email"].Count == 1 ? form["email"].ToString() : null, target);
        }

        var result = await accounts.SignInAsync(email!, password!, cancellationToken);
        if (!result.Succeeded)
        {
            var error = result.LockedUntil is null ? LoginFormReply.Invalid : LoginFormReply.Locked;
            return LoginFormReply.Redirect(http, error, email, target);
        }

        await http.SignInAsync(SecurityPolicies.AdminScheme, AdminCookie.Principal(result.Admin!));
        return TypedResults.Redirect(target);
    }

    internal static async Task<IResult> SignOutAsync(HttpContext http, IAntiforgery antiforgery)
    {
        if (await CheckFormAsync(http, antiforgery) is { } refused) return refused.Reply;
        // The admin's other open tabs of this sign-in end with it (their circuits still hold the principal).
        if (http.User.FindFirst(SecurityPolicies.SignInIdClaim)?.Value is { } signInId) http.RequestServices.GetRequiredService<EndedSignIns>().End(signInId);
        await http.SignOutAsync(SecurityPolicies.AdminScheme);
        return TypedResults.Redirect(SecurityPolicies.LoginPath);
    }

    /// <summary>Only a path on this site: anything else (another host, "//host", "/\host") goes to the grid.</summary>
    public static string LocalUrl(string? returnUrl) =>
        returnUrl is { Length: > 0 } url && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\')) && !url.Any(char.IsControl)
            ? url
            : DefaultReturnUrl;

    private sealed record FormRefusal(IResult Reply, bool TokenRefused = false);

    private static async Task<IFormCollection?> TryReadFormAsync(HttpContext http, CancellationToken cancellationToken)
    {
        try
        {
            return await http.Request.ReadFormAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is InvalidDataException or BadHttpRequestException or IOException)
        {
            return null;
        }
    }

    private static async Task<FormRefusal?> CheckFormAsync(HttpContext http, IAntiforgery antiforgery)
    {
        if (!http.Request.HasFormContentType)
            return new(TypedResults.Problem("Post the form as application/x-www-form-urlencoded.", statusCode: StatusCodes.Status415UnsupportedMediaType,
                title: "Unsupported media type"));
        if (http.Request.ContentLength > MaxFormBytes) return new(TooLarge());
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeLimit) sizeLimit.MaxRequestBodySize = MaxFormBytes;

        try
        {
            if (await antiforgery.IsRequestValidAsync(http)) return null;
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return new(TooLarge());
        }
        catch (InvalidDataException)
        {
            return new(TypedResults.Problem("The form body could not be read.", statusCode: StatusCodes.Status400BadRequest, title: "Bad form"));
        }

        return new(TypedResults.Problem("The form is missing its antiforgery token or the token has expired: reload the page and try again.",
            statusCode: StatusCodes.Status400BadRequest, title: "Form expired"), TokenRefused: true);
    }

    private static IResult TooLarge() =>
        TypedResults.Problem($"The form is larger than {MaxFormBytes} bytes.", statusCode: StatusCodes.Status413PayloadTooLarge, title: "Form too large");

    private static string? Field(IFormCollection form, string name, int maxLength, bool required, Dictionary<string, string[]> errors, bool allowBlank = false)
    {
        var values = form[name];
        if (values.Count > 1)
        {
            errors[name] = [$"Send the {name} once."];
            return null;
        }

        var value = values.ToString();
        if (value.Length == 0 || (!allowBlank && string.IsNullOrWhiteSpace(value)))
        {
            if (required) errors[name] = [$"The {name} is required."];
            return null;
        }

        if (value.Length > maxLength) errors[name] = [$"The {name} is longer than {maxLength} characters."];
        else if (value.Any(char.IsControl)) errors[name] = [$"The {name} contains control characters."];
        else return value;
        return null;
    }
}
