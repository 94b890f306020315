using Microsoft.Extensions.Logging;
using NowOnline.Core.Persistence;

namespace NowOnline.Core.Ingestion;

// Storage health and upkeep, run by the writer itself so nothing else ever competes with it for the write lock.
public sealed partial class ActivityIngestor
{
    private static readonly TimeSpan ProbeEvery = TimeSpan.FromSeconds(1);
    private volatile bool _faulted;
    private Exception? _lastFault;
    private DateTimeOffset _lastWrite = DateTimeOffset.MinValue;
    private DateTimeOffset _lastProbe = DateTimeOffset.MinValue;
    private long _freeSpaceCheckedAt;
    private string? _freeSpaceProblem;

    /// <summary>True after a write failed, until a write (an event commit, a checkpoint or a probe) succeeds again.</summary>
    public bool StorageFaulted => _faulted;

    /// <summary>
    /// Proves the database can be written: the writer commits a one-row probe (skipped when it wrote less than a second ago).
    /// Returns null when storage is writable, otherwise why not.
    /// </summary>
    public async Task<string?> ProbeStorageAsync(CancellationToken cancellationToken = default)
    {
        var request = new ProbeRequest();
        await _queue.Writer.WriteAsync(request, cancellationToken);
        return await request.Completion.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Deletes one small batch of what retention allows, in one short transaction of the writer.</summary>
    public async Task<RetentionResult> DeleteExpiredAsync(RetentionBatch batch, CancellationToken cancellationToken = default)
    {
        var request = new RetentionRequest(batch);
        await _queue.Writer.WriteAsync(request, cancellationToken);
        return await request.Completion.Task.WaitAsync(cancellationToken);
    }

    private void Maintain()
    {
        if (!_faulted) TryCheckpoint();
        ProbeIfFaulted();
    }

    private StorageUnavailableException StorageDown() =>
        new("The activity store cannot be written right now.", _lastFault ?? new IOException("The last write failed."));

    /// <summary>While faulted the writer retries by itself, so the service recovers without traffic or health checks.</summary>
    private void ProbeIfFaulted()
    {
        if (_faulted && clock.GetUtcNow() - _lastProbe >= ProbeEvery) TryProbe();
    }

    private string? TryProbe()
    {
        _lastProbe = clock.GetUtcNow();
        try
        {
            EnsureFreeSpace(force: true);
            ActivityLog.Probe(Connection(), _lastProbe);
            if (_faulted) LogStorageRecovered(logger);
            MarkStorageWritten();
            return null;
        }
        catch (Exception ex)
        {
            MarkStorageFaulted(ex);
            return ex.Message;
        }
    }

    private void RunChore(WorkItem chore)
    {
        switch (chore)
        {
            case ProbeRequest probe:
                var recent = !_faulted && clock.GetUtcNow() - _lastWrite < ProbeEvery;
                probe.Completion.TrySetResult(recent ? null : TryProbe());
                break;
            case RetentionRequest retention:
                try
                {
                    // No free-space guard here: deleting is how space comes back.
                    var result = ActivityLog.DeleteExpired(Connection(), retention.Batch);
                    _lastWrite = clock.GetUtcNow();
                    retention.Completion.TrySetResult(result);
                }
                catch (Exception ex)
                {
                    MarkStorageFaulted(ex);
                    retention.Completion.TrySetException(new StorageUnavailableException("Retention could not delete old rows.", ex));
                }

                break;
        }
    }

    /// <summary>Throws when the volume is nearly full; looked at no more than four times a second unless forced.</summary>
    private void EnsureFreeSpace(bool force = false)
    {
        if (force || _freeSpaceProblem is not null || clock.GetElapsedTime(_freeSpaceCheckedAt) >= TimeSpan.FromMilliseconds(250))
        {
            _freeSpaceProblem = database.FreeSpaceProblem();
            _freeSpaceCheckedAt = clock.GetTimestamp();
        }

        if (_freeSpaceProblem is not null) throw new IOException(_freeSpaceProblem);
    }

    private void MarkStorageWritten()
    {
        _faulted = false;
        _lastWrite = clock.GetUtcNow();
    }

    private void MarkStorageFaulted(Exception cause)
    {
        _lastFault = cause;
        _faulted = true;
        // A fresh connection next time: the old one may hold a broken file handle or a half-open transaction.
        DropConnection();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "The activity store can be written again")]
    private static partial void LogStorageRecovered(ILogger logger);

    private sealed class ProbeRequest : WorkItem
    {
        public TaskCompletionSource<string?> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class RetentionRequest(RetentionBatch batch) : WorkItem
    {
        public RetentionBatch Batch { get; } = batch;
        public TaskCompletionSource<RetentionResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

/// <summary>
/// One retention step: at most <paramref name="Size"/> sessions whose last activity is before <paramref name="SessionsBefore"/>
/// (with their visitor carts), and at most as many logged events received before <paramref name="EventsBefore"/> that the
/// state checkpoint already covers.
/// </summary>
public sealed record RetentionBatch(int Size, DateTimeOffset SessionsBefore, DateTimeOffset EventsBefore);

/// <summary>How many rows one retention step deleted.</summary>
public sealed record RetentionResult(int Sessions, int Events);
