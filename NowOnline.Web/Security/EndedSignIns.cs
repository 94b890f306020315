using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace NowOnline.Web.Security;

/// <summary>
/// The sign-ins ended by a sign-out on this node, by the sign-in id each admin cookie carries
/// (<see cref="SecurityPolicies.SignInIdClaim"/>). A sign-out removes the cookie from the browser, but a tab that was
/// already open keeps its circuit, which holds the principal of its start: <see cref="Ended"/> tells those circuits
/// at once (<see cref="AdminCircuitRevalidation"/>), and a cookie of an ended sign-in that is sent again is refused.
/// An id is remembered for as long as its cookie could last.
/// </summary>
public sealed class EndedSignIns(TimeProvider clock, IOptions<AdminOptions> options)
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _ended = new(StringComparer.Ordinal);

    /// <summary>Raised with the id of a sign-in that just ended.</summary>
    public event Action<string>? Ended;

    public void End(string signInId)
    {
        var now = clock.GetUtcNow();
        _ended[signInId] = now + TimeSpan.FromMinutes(options.Value.SessionMinutes);
        foreach (var (id, until) in _ended)
            if (until <= now) _ended.TryRemove(id, out _);
        Ended?.Invoke(signInId);
    }

    public bool IsEnded(string? signInId) => signInId is not null && _ended.ContainsKey(signInId);
}
