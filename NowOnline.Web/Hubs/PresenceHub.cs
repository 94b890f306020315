using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using NowOnline.Web.Security;

namespace NowOnline.Web.Hubs;

/// <summary>
/// <c>/hubs/presence</c>: outside clients watch the online list live. <c>Subscribe(filter)</c> answers with
/// <c>State</c>, then <c>Diff</c>s; the pushes come from <see cref="PresenceRelay"/> through
/// <c>IHubContext&lt;PresenceHub, IPresenceClient&gt;</c>. A signed-in admin or a storefront key.
/// </summary>
[Authorize(Policy = ApiKeyDefaults.ReaderPolicy)]
public sealed class PresenceHub(PresenceRelay relay) : Hub<IPresenceClient>
{
    public const string Path = "/hubs/presence";

    /// <summary>Subscribes to the rows that match <paramref name="filter"/> (the filter fields of GET /api/online; {} for all).</summary>
    public Task Subscribe(JsonElement filter)
    {
        var (query, error) = PresenceFilter.Parse(filter);
        if (query is null) throw new HubException(error);
        return relay.SubscribeAsync(Context, query);
    }

    /// <summary>Stops the pushes to this connection; it may subscribe again.</summary>
    public Task Unsubscribe() => relay.UnsubscribeAsync(Context.ConnectionId);

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        relay.Remove(Context.ConnectionId);
        return base.OnDisconnectedAsync(exception);
    }
}
