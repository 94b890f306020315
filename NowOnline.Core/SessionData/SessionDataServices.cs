using Microsoft.Extensions.DependencyInjection;

namespace NowOnline.Core.SessionData;

public static class SessionDataServices
{
    /// <summary>Registers the shoppers' session data store and its purge job.</summary>
    public static IServiceCollection AddNowOnlineSessionData(this IServiceCollection services)
    {
        services.AddOptions<SessionDataOptions>().BindConfiguration(SessionDataOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<SessionDataStore>();
        services.AddSingleton<SessionDataPurger>();
        services.AddHostedService(sp => sp.GetRequiredService<SessionDataPurger>());
        return services;
    }
}
