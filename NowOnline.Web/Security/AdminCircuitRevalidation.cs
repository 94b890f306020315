using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.Extensions.Options;

namespace NowOnline.Web.Security;

/// <summary>
/// An open page (a long-lived circuit) re-checks its admin every <c>Admin:RevalidateSeconds</c>: after a password
/// reset or removal it loses its sign-in and the router sends it to /login, as a new request would be.
/// </summary>
public sealed class AdminCircuitRevalidation(ILoggerFactory loggerFactory, AdminAccounts accounts, IOptions<AdminOptions> options)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromSeconds(options.Value.RevalidateSeconds);

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        var user = authenticationState.User;
        if (user.Identity?.IsAuthenticated != true) return true;
        return long.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var id)
               && user.FindFirstValue(SecurityPolicies.SecurityStampClaim) is { } stamp
               && await accounts.IsCurrentAsync(id, stamp, cancellationToken);
    }
}
