using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace NowOnline.Web.Security;

/// <summary>Signs in a storefront that presents a valid <c>X-Api-Key</c>.</summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyValidator keys) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string StorefrontRole = "storefront";

    /// <summary>A short, non-reversible id of the presented key: the rate-limit partition, safe to log.</summary>
    public const string KeyIdClaim = "nowonline:key";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(ApiKeyDefaults.HeaderName, out var presented))
            return Task.FromResult(AuthenticateResult.NoResult());
        if (!keys.IsValid(presented.ToString()))
            return Task.FromResult(AuthenticateResult.Fail("The X-Api-Key is not valid."));

        var identity = new ClaimsIdentity(
        [
            new Claim(ClaimTypes.Name, "storefront"),
            new Claim(ClaimTypes.Role, StorefrontRole),
            new Claim(KeyIdClaim, ApiKeyValidator.KeyId(presented.ToString())),
        ], Scheme.Name);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (Response.HasStarted) return; // a reader endpoint also challenges the admin cookie
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        var problems = Context.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails =
            {
                Status = StatusCodes.Status401Unauthorized,
                Title = "Unauthorized",
                Detail = Request.Headers.ContainsKey(ApiKeyDefaults.HeaderName)
                    ? "The X-Api-Key header does not hold a valid storefront key."
                    : "Send a storefront key in the X-Api-Key header (or sign in as an admin where admins may read).",
            },
        });
    }
}
