using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.Extensions.Options;

namespace NowOnline.Web.Security;

/// <summary>
/// An open page (a long-lived circuit) re-checks its admin every <c>Admin:RevalidateSeconds</c>: after a password
/// reset or removal it loses its sign-in and the router sends it to /login, as a new request would be. A sign-out of
/// the same sign-in (another tab) ends it at once, through <see cref="EndedSignIns"/>.
/// </summary>
public sealed class AdminCircuitRevalidation : RevalidatingServerAuthenticationStateProvider
{
    private static readonly AuthenticationState SignedOut = new(new ClaimsPrincipal(new ClaimsIdentity()));
    private readonly AdminAccounts _accounts;
    private readonly EndedSignIns _ended;
    private readonly IOptions<AdminOptions> _options;

    public AdminCircuitRevalidation(ILoggerFactory loggerFactory, AdminAccounts accounts, EndedSignIns ended, IOptions<AdminOptions> options)
        : base(loggerFactory)
    {
        _accounts = accounts;
        _ended = ended;
        _options = options;
        _ended.Ended += OnSignInEnded;
    }

    protected override TimeSpan RevalidationInterval => TimeSpan.FromSeconds(_options.Value.RevalidateSeconds);

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        var user = authenticationState.User;
        if (user.Identity?.IsAuthenticated != true) return true;
        return long.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var id)
               && user.FindFirstValue(SecurityPolicies.SecurityStampClaim) is { } stamp
               && !_ended.IsEnded(user.FindFirstValue(SecurityPolicies.SignInIdClaim))
               && await _accounts.IsCurrentAsync(id, stamp, cancellationToken);
    }

    private void OnSignInEnded(string signInId) => _ = EndIfOursAsync(signInId);

    private async Task EndIfOursAsync(string signInId)
    {
        try
        {
            var state = await GetAuthenticationStateAsync();
            if (state.User.FindFirstValue(SecurityPolicies.SignInIdClaim) == signInId) SetAuthenticationState(Task.FromResult(SignedOut));
        }
        catch (InvalidOperationException)
        {
            // The circuit has no state yet (or any more): nothing is shown from it.
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _ended.Ended -= OnSignInEnded;
        base.Dispose(disposing);
    }
}
