using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NowOnline.Core;
using NowOnline.Core.Ingestion;
using NowOnline.Core.Presence;

namespace NowOnline.Bench.Support;

/// <summary>
/// The real Core services (tracker, durable ingestion into a real SQLite file) built from the same registration the app
/// uses, with a clock the benchmark controls. No web host: the figures are those of Core.
/// </summary>
public sealed class CoreRig : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private bool _started;

    private CoreRig(ServiceProvider services) => _services = services;

    public PresenceTracker Tracker => _services.GetRequiredService<PresenceTracker>();

    public ActivityIngestor Ingestor => _services.GetRequiredService<ActivityIngestor>();

    /// <summary>Migrates the file, restores what it holds into the tracker (the app's start path).</summary>
    public static async Task<CoreRig> OpenAsync(string databasePath, TimeProvider clock)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:NowOnline"] = $"Data Source={databasePath}",
            ["Presence:IgnoredUserAgents:0"] = "Googlebot",
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton(clock);
        services.AddNowOnlineCore(configuration);
        var provider = services.BuildServiceProvider();
        await provider.InitializeNowOnlineAsync();
        return new CoreRig(provider);
    }

    public async Task StartIngestionAsync()
    {
        await Ingestor.StartAsync(CancellationToken.None);
        _started = true;
    }

    public async ValueTask DisposeAsync()
    {
        if (_started) await Ingestor.StopAsync(CancellationToken.None);
        await _services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }
}
