using NowOnline.Core.Ingestion;

namespace NowOnline.Core.Cluster;

/// <summary>
/// Whether the PostgreSQL event log can be written, as this node last found it: faulted from a failed write until a write
/// (an append or a probe) succeeds again. Written by the appender and the probe, read from any thread.
/// </summary>
internal sealed class ClusterHealth(TimeProvider clock)
{
    public static readonly TimeSpan ProbeEvery = TimeSpan.FromSeconds(1);

    private volatile bool _faulted;
    private volatile Exception? _lastFault;
    private long _lastWriteTicks;
    private long _lastProbeTicks;

    public bool Faulted => _faulted;

    /// <summary>True while faulted and the last probe is a second old.</summary>
    public bool ProbeDue => _faulted && clock.GetUtcNow().UtcTicks - Interlocked.Read(ref _lastProbeTicks) >= ProbeEvery.Ticks;

    /// <summary>True when a write succeeded less than <see cref="ProbeEvery"/> ago (a probe would prove nothing more).</summary>
    public bool WroteRecently => !_faulted && clock.GetUtcNow().UtcTicks - Interlocked.Read(ref _lastWriteTicks) < ProbeEvery.Ticks;

    public DateTimeOffset StartProbe()
    {
        var now = clock.GetUtcNow();
        Interlocked.Exchange(ref _lastProbeTicks, now.UtcTicks);
        return now;
    }

    public void Written()
    {
        Interlocked.Exchange(ref _lastWriteTicks, clock.GetUtcNow().UtcTicks);
        _faulted = false;
    }

    public void Fault(Exception cause)
    {
        _lastFault = cause;
        _faulted = true;
    }

    public StorageUnavailableException Down() =>
        new("The cluster's event log cannot be written right now.", _lastFault ?? new IOException("The last write failed."));
}
