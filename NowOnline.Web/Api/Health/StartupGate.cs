namespace NowOnline.Web.Api.Health;

/// <summary>
/// Where start-up is: the step running now, or open once the database is migrated, the online list restored and the
/// background services started. Until then the app answers its probes but nothing that needs the state (see
/// <see cref="StartupGateMiddleware"/>), so nobody ever sees a half-restored list.
/// </summary>
public sealed class StartupGate
{
    private readonly TaskCompletionSource _opened = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile string _pending = "start-up has not begun";
    private volatile Exception? _failure;

    public bool IsOpen => _opened.Task.IsCompleted;

    /// <summary>What start-up is doing now (empty once open).</summary>
    public string Pending => IsOpen ? "" : _pending;

    /// <summary>Why start-up failed (the app then stops), or null.</summary>
    public Exception? Failure => _failure;

    /// <summary>Completes when the app is open.</summary>
    public Task Opened => _opened.Task;

    internal void Begin(string step) => _pending = step;

    internal void Open() => _opened.TrySetResult();

    internal void Fail(Exception failure)
    {
        _failure = failure;
        _pending = $"start-up failed ({failure.GetType().Name}); the app stops";
    }
}

/// <summary>Marks an endpoint that answers while the app is still starting (the liveness probe, <c>/metrics</c>).</summary>
public sealed class AvailableWhileStartingAttribute : Attribute;

/// <summary>
/// Marks a health probe that the start-up gate answers by itself while the app starts (503, naming the pending step),
/// without running its checks: they would only report the same, and log an error per probe while the app merely starts.
/// </summary>
public sealed class AnsweredByStartupGateAttribute(bool json) : Attribute
{
    public bool Json { get; } = json;
}

public static class StartupGateEndpoints
{
    /// <summary>The endpoint answers while the app is still starting (it needs neither the database nor the online list).</summary>
    public static TBuilder AvailableWhileStarting<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new AvailableWhileStartingAttribute());
}
