using Microsoft.Extensions.DependencyInjection;

namespace NowOnline.Core.Trend;

public static class TrendRegistration
{
    /// <summary>Registers the minute sampler of the Now Online trend and the last hour it keeps in memory.</summary>
    public static IServiceCollection AddNowOnlineTrend(this IServiceCollection services)
    {
        services.AddSingleton<TrendHistory>();
        services.AddSingleton<TrendSampler>();
        services.AddHostedService(sp => sp.GetRequiredService<TrendSampler>());
        return services;
    }
}
