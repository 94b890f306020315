using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using NowOnline.Core.Settings;

namespace NowOnline.Core.Persistence;

/// <summary>
/// Carries a settings change saved on one node to every other node on the same PostgreSQL database: a save is
/// announced with <c>NOTIFY</c>, and each node <c>LISTEN</c>s and reloads (<see cref="SettingsService.ReloadAsync"/>),
/// which applies the interval to its tracker and updates its open forms. After a lost connection the node reloads
/// once, so a change announced meanwhile is not missed.
/// </summary>
internal sealed partial class PostgreSqlSettingsFeed(string connectionString, SettingsService settings, ILogger<PostgreSqlSettingsFeed> logger)
    : BackgroundService
{
    public const string Channel = "nowonline_settings";
    // Set only in the flow of a reload: the Changed it raises is another node's save, not one to announce.
    private readonly AsyncLocal<bool> _reloading = new();

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        settings.Changed += Announce;
        return base.StartAsync(cancellationToken);
    }

    public override Task StopAsync(CancellationToken cancellationToken)
    {
        settings.Changed -= Announce;
        return base.StopAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(stoppingToken);
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                await ReloadAsync(stoppingToken);
                while (!stoppingToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(stoppingToken); // returns once a notification has arrived
                    await ReloadAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or TimeoutException)
            {
                LogFeedLost(logger, ex);
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    private async Task ReloadAsync(CancellationToken cancellationToken)
    {
        _reloading.Value = true;
        try
        {
            await settings.ReloadAsync(cancellationToken);
        }
        finally
        {
            _reloading.Value = false;
        }
    }

    private void Announce(VersionedSettings saved)
    {
        // A reload raises Changed too; only a save made on this node is announced.
        if (_reloading.Value) return;
        _ = Task.Run(async () =>
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync();
                await using var notify = new NpgsqlCommand($"NOTIFY {Channel}", connection);
                await notify.ExecuteNonQueryAsync();
            }
            catch (NpgsqlException ex)
            {
                // The other nodes then see the change when their feed reconnects or on their next restart.
                LogAnnounceFailed(logger, ex);
            }
        });
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The settings feed lost its PostgreSQL connection; reconnecting")]
    private static partial void LogFeedLost(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A settings change could not be announced to the other nodes")]
    private static partial void LogAnnounceFailed(ILogger logger, Exception exception);
}
