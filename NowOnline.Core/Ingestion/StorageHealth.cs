using NowOnline.Core.Persistence;

namespace NowOnline.Core.Ingestion;

/// <summary>
/// Whether the activity store can be written, as the writer last found it, and the free-space guard. Faulted from a failed
/// write until a write (an event commit, a checkpoint or a probe) succeeds again; written and read by the writer, read by
/// health checks from any thread.
/// </summary>
internal sealed class StorageHealth(SqliteDatabase database, TimeProvider clock)
{
    /// <summary>How often a faulted store is probed, and how recent a write must be to stand in for a probe.</summary>
    public static readonly TimeSpan ProbeEvery = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan FreeSpaceCheckEvery = TimeSpan.FromMilliseconds(250);
    private volatile bool _faulted;
    private Exception? _lastFault;
    private DateTimeOffset _lastWrite = DateTimeOffset.MinValue;
    private DateTimeOffset _lastProbe = DateTimeOffset.MinValue;
    private long _freeSpaceCheckedAt;
    private string? _freeSpaceProblem;

    public bool Faulted => _faulted;

    /// <summary>True while faulted and the last probe is a second old: the writer retries by itself, without traffic.</summary>
    public bool ProbeDue => _faulted && clock.GetUtcNow() - _lastProbe >= ProbeEvery;

    /// <summary>True when a write succeeded less than <see cref="ProbeEvery"/> ago (a probe would prove nothing more).</summary>
    public bool WroteRecently => !_faulted && clock.GetUtcNow() - _lastWrite < ProbeEvery;

    public DateTimeOffset StartProbe() => _lastProbe = clock.GetUtcNow();

    /// <summary>A write succeeded: not faulted any more.</summary>
    public void Written()
    {
        _faulted = false;
        _lastWrite = clock.GetUtcNow();
    }

    /// <summary>A write that proves nothing about a fault succeeded (a checkpoint, a retention delete): a probe can wait.</summary>
    public void Touched() => _lastWrite = clock.GetUtcNow();

    public void Fault(Exception cause)
    {
        _lastFault = cause;
        _faulted = true;
    }

    public StorageUnavailableException Down() =>
        new("The activity store cannot be written right now.", _lastFault ?? new IOException("The last write failed."));

    /// <summary>Throws when the volume is nearly full; looked at no more than four times a second unless forced.</summary>
    public void EnsureFreeSpace(bool force = false)
    {
        if (force || _freeSpaceProblem is not null || clock.GetElapsedTime(_freeSpaceCheckedAt) >= FreeSpaceCheckEvery)
        {
            _freeSpaceProblem = database.FreeSpaceProblem();
            _freeSpaceCheckedAt = clock.GetTimestamp();
        }

        if (_freeSpaceProblem is not null) throw new IOException(_freeSpaceProblem);
    }
}
