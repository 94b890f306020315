using Microsoft.AspNetCore.Http.Connections;

namespace NowOnline.Web.Hubs;

public static class PresenceHubSetup
{
    /// <summary>Registers SignalR, the presence hub's options and the relay from the tracker's change feed.</summary>
    public static IServiceCollection AddPresenceHub(this IServiceCollection services)
    {
        services.AddSignalR();
        services.AddOptions<PresenceHubOptions>().BindConfiguration(PresenceHubOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<PresenceRelay>();
        services.AddHostedService(sp => sp.GetRequiredService<PresenceRelay>());
        return services;
    }

    /// <summary>Maps <c>/hubs/presence</c>.</summary>
    public static IEndpointRouteBuilder MapPresenceHub(this IEndpointRouteBuilder app)
    {
        // An admin whose sign-in expires is disconnected too, not kept on the feed for the life of the socket.
        app.MapHub<PresenceHub>(PresenceHub.Path, options => options.CloseOnAuthenticationExpiration = true);
        return app;
    }
}
