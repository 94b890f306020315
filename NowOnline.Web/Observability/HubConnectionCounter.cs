using Microsoft.AspNetCore.SignalR;
using NowOnline.Core.Diagnostics;

namespace NowOnline.Web.Observability;

/// <summary>Counts open presence-hub connections (<c>nowonline_hub_connections</c>); a connection the hub refused is not counted.</summary>
public sealed class HubConnectionCounter : IHubFilter
{
    private static readonly object Counted = new();

    public async Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        await next(context);
        context.Context.Items[Counted] = true;
        NowOnlineMetrics.HubConnected();
    }

    public async Task OnDisconnectedAsync(HubLifetimeContext context, Exception? exception, Func<HubLifetimeContext, Exception?, Task> next)
    {
        try
        {
            await next(context, exception);
        }
        finally
        {
            if (context.Context.Items.Remove(Counted)) NowOnlineMetrics.HubDisconnected();
        }
    }
}
