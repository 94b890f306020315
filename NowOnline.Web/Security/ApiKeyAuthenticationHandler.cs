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
        var presented = PresentedKey();
        if (presented is null)
            return Task.FromResult(AuthenticateResult.NoResult());
        if (!keys.IsValid(presented))
            return Task.FromResult(AuthenticateResult.Fail("The storefront key is not valid."));

        var identity = new ClaimsIdentity(
        [
            new Claim(ClaimTypes.Name, "storefront"),
            new Claim(ClaimTypes.Role, StorefrontRole),
            new Claim(KeyIdClaim, ApiKeyValidator.KeyId(presented)),
        ], Scheme.Name);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name)));
    }

    /// <summary>
    /// The key from <c>X-Api-Key</c>. On hub paths also from <c>Authorization: Bearer</c> or the
    /// <c>access_token</c> query parameter: that is how SignalR clients send a token, and a browser
    /// cannot set headers on a WebSocket. Elsewhere a key in the URL is ignored (URLs end up in logs).
    /// </summary>
    private string? PresentedKey()
    {
        if (Request.Headers.TryGetValue(ApiKeyDefaults.HeaderName, out var header)) return header.ToString();
        if (!Request.Path.StartsWithSegments(ApiKeyDefaults.HubPathPrefix, StringComparison.OrdinalIgnoreCase)) return null;
        var authorization = Request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return authorization["Bearer ".Length..].Trim();
        return Request.Query.TryGetValue(ApiKeyDefaults.AccessTokenParameter, out var token) ? token.ToString() : null;
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
                Detail = PresentedKey() is not null
                    ? "The storefront key is not valid."
                    : "Send a storefront key in the X-Api-Key header (or sign in as an admin where admins may read).",
            },
        });
    }
}
