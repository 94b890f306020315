using System.Threading.Channels;

namespace NowOnline.Core.Presence;

/// <summary>
/// One subscriber's view of the change feed. Changes are coalesced per row (latest state wins), so the
/// queue is bounded by the number of rows and a slow reader never holds up ingestion or other readers.
/// </summary>
public sealed class PresenceSubscription : IDisposable
{
    private readonly object _gate = new();
    private readonly Channel<bool> _signal =
        Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly Action<PresenceSubscription> _unsubscribe;
    private readonly Dictionary<string, RowChange> _pending = new(StringComparer.Ordinal);
    private int _disposed;

    internal PresenceSubscription(IReadOnlyList<OnlineRow> initialRows, Action<PresenceSubscription> unsubscribe)
    {
        InitialRows = initialRows;
        _unsubscribe = unsubscribe;
    }

    /// <summary>The online list at the moment of subscribing.</summary>
    public IReadOnlyList<OnlineRow> InitialRows { get; }

    internal void Publish(IReadOnlyList<RowChange> changes)
    {
        lock (_gate)
            foreach (var change in changes) _pending[change.Key] = change;
        _signal.Writer.TryWrite(true);
    }

    /// <summary>Waits for changes and returns all that are pending, at most one entry per row.</summary>
    public async ValueTask<IReadOnlyList<RowChange>> ReadAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var batch = TakePending();
            if (batch.Count > 0) return batch;
            await _signal.Reader.ReadAsync(cancellationToken);
        }
    }

    /// <summary>Returns what is pending now without waiting (possibly nothing).</summary>
    public IReadOnlyList<RowChange> TakePending()
    {
        lock (_gate)
        {
            if (_pending.Count == 0) return [];
            var batch = _pending.Values.ToArray();
            _pending.Clear(); // keeps its capacity: the writer's next changes do not grow a new table from scratch
            return batch;
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        _unsubscribe(this);
        _signal.Writer.TryComplete();
    }
}
