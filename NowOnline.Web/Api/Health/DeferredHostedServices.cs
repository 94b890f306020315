namespace NowOnline.Web.Api.Health;

/// <summary>
/// The app's own background services (the writer, expiry, retention, trend, the simulator, and the key ring) need the
/// migrated database and the restored list, which are now ready only after Kestrel listens. They are moved out of the
/// host's list into keyed registrations (the container still owns and disposes them) and started by
/// <see cref="StartupWork"/> in their registration order, then stopped in reverse.
/// </summary>
public sealed partial class DeferredHostedServices(IServiceProvider services, IHostApplicationLifetime lifetime,
    ILogger<DeferredHostedServices> logger)
{
    private const string Key = "NowOnline.DeferredHostedService";
    private readonly List<IHostedService> _started = [];

    /// <summary>
    /// Moves every hosted service registered so far that belongs to NowOnline or the data-protection key ring behind
    /// the start-up gate, and adds the gate. Call after every other registration.
    /// </summary>
    public static IServiceCollection DeferNowOnlineServices(IServiceCollection collection)
    {
        var deferred = collection.Where(d => d.ServiceType == typeof(IHostedService) && !d.IsKeyedService && NeedsState(d)).ToList();
        foreach (var descriptor in deferred)
        {
            collection.Remove(descriptor);
            collection.Add(descriptor switch
            {
                { ImplementationInstance: { } instance } => ServiceDescriptor.KeyedSingleton(typeof(IHostedService), Key, instance),
                { ImplementationFactory: { } factory } => ServiceDescriptor.KeyedSingleton(typeof(IHostedService), Key, (sp, _) => factory(sp)),
                _ => ServiceDescriptor.KeyedSingleton(typeof(IHostedService), Key, descriptor.ImplementationType!),
            });
        }

        return collection;
    }

    internal async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var service in services.GetKeyedServices<IHostedService>(Key))
        {
            cancellationToken.ThrowIfCancellationRequested();
            await service.StartAsync(cancellationToken);
            lock (_started) _started.Add(service);
            if (service is BackgroundService { ExecuteTask: { } running }) _ = StopAppIfItFailsAsync(service, running);
        }
    }

    // What the host does for the background services it starts itself (BackgroundServiceExceptionBehavior.StopHost).
    private async Task StopAppIfItFailsAsync(IHostedService service, Task running)
    {
        try
        {
            await running;
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception failure)
        {
            LogFailed(logger, service.GetType().Name, failure);
            lifetime.StopApplication();
        }
    }

    internal async Task StopAsync(CancellationToken cancellationToken)
    {
        IHostedService[] started;
        lock (_started)
        {
            started = [.. _started];
            _started.Clear();
        }

        List<Exception>? failures = null;
        foreach (var service in started.Reverse())
        {
            try
            {
                await service.StopAsync(cancellationToken);
            }
            catch (Exception failure)
            {
                (failures ??= []).Add(failure);
            }
        }

        if (failures is not null) throw new AggregateException("A background service failed to stop.", failures);
    }

    private static bool NeedsState(ServiceDescriptor descriptor)
    {
        var type = descriptor.ImplementationType ?? descriptor.ImplementationInstance?.GetType()
            ?? descriptor.ImplementationFactory?.Method.DeclaringType;
        var assembly = type?.Assembly.GetName().Name ?? "";
        return assembly.StartsWith("NowOnline.", StringComparison.Ordinal)
            || assembly.StartsWith("Microsoft.AspNetCore.DataProtection", StringComparison.Ordinal);
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "Background service {Service} failed; the app stops.")]
    private static partial void LogFailed(ILogger logger, string service, Exception failure);
}
