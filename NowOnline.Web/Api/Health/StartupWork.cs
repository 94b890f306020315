using NowOnline.Core;
using NowOnline.Web.Security;

namespace NowOnline.Web.Api.Health;

/// <summary>
/// Extra start-up work that must finish before the database work and before the app opens. Tests register one to
/// hold start-up open; nothing in the product needs one.
/// </summary>
public sealed record StartupStep(string Name, Func<IServiceProvider, CancellationToken, Task> RunAsync);

/// <summary>
/// The app's start-up, run after Kestrel listens so an orchestrator sees "live, not ready" rather than a refused
/// connection: the database migrations and the online list (<see cref="DependencyInjection.InitializeNowOnlineAsync"/>),
/// the first admin, then the app's own background services (held back until then, see
/// <see cref="DeferredHostedServices"/>), then the gate opens. A failure is logged and stops the app.
/// When <see cref="NowOnlineApp.InitializeAsync"/> already did the database work before listening (tests, tools),
/// the background services start inside the host's start and the app is open when it returns.
/// </summary>
public sealed partial class StartupWork(IServiceProvider services, StartupGate gate, DeferredHostedServices deferred,
    IHostApplicationLifetime lifetime, ILogger<StartupWork> logger) : IHostedLifecycleService, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _lock = new();
    private Task? _preparation;
    private Task? _background;

    /// <summary>Migrations, restore and first admin, once; later callers share the first call's outcome.</summary>
    public Task PrepareAsync()
    {
        lock (_lock) return _preparation ??= PrepareCoreAsync(_stopping.Token);
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken)
    {
        if (_preparation is { IsCompletedSuccessfully: true }) return OpenAsync(cancellationToken);
        _background = Task.Run(RunAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    public Task StoppingAsync(CancellationToken cancellationToken)
    {
        _stopping.Cancel();
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping.Cancel();
        if (_background is not null) await _background.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await deferred.StopAsync(cancellationToken);
    }

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _stopping.Dispose();

    private async Task RunAsync()
    {
        try
        {
            await PrepareAsync();
            await OpenAsync(_stopping.Token);
            LogOpen(logger);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        catch (Exception failure)
        {
            gate.Fail(failure);
            if (failure is AdminSetupException) LogCannotStart(logger, failure.Message);
            else LogFailed(logger, failure);
            lifetime.StopApplication();
        }
    }

    private async Task PrepareCoreAsync(CancellationToken cancellationToken)
    {
        await Task.Yield();
        foreach (var step in services.GetServices<StartupStep>())
        {
            gate.Begin(step.Name);
            await step.RunAsync(services, cancellationToken);
        }

        gate.Begin("database migrations, settings and the online list restore");
        await services.InitializeNowOnlineAsync(cancellationToken);
        gate.Begin("the first admin");
        await FirstAdmin.EnsureAsync(services, cancellationToken);
        services.GetRequiredService<ApiKeyValidator>(); // reports a missing or generated key at start, not on first request
    }

    private async Task OpenAsync(CancellationToken cancellationToken)
    {
        gate.Begin("the background services (writer, expiry, retention, trend)");
        await deferred.StartAsync(cancellationToken);
        gate.Open();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Start-up done: the online list is restored and the app is ready.")]
    private static partial void LogOpen(ILogger logger);

    [LoggerMessage(Level = LogLevel.Critical, Message = "NowOnline cannot start: {Reason}")]
    private static partial void LogCannotStart(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Critical, Message = "NowOnline cannot start; the app stops.")]
    private static partial void LogFailed(ILogger logger, Exception failure);
}
