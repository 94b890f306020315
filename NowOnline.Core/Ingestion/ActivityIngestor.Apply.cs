using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using NowOnline.Core.Presence;

namespace NowOnline.Core.Ingestion;

// The second stage of the pipeline: committed groups are applied to the tracker and answered on a thread of their own,
// in commit order, while the writer already commits the next group. A request is still answered only after its events
// are committed and applied.
public sealed partial class ActivityIngestor
{
    private readonly BlockingCollection<CommittedGroup> _committed = new(boundedCapacity: 64);
    private readonly ManualResetEventSlim _applierIdle = new(initialState: true);
    private int _inFlight;
    private Thread? _applier;

    private void StartApplier()
    {
        _applier = new Thread(ApplyCommitted) { IsBackground = true, Name = "NowOnline apply" };
        _applier.Start();
    }

    /// <summary>Hands a committed group to the applier (waits when 64 groups are already waiting).</summary>
    private void Post(CommittedGroup committed)
    {
        if (Interlocked.Increment(ref _inFlight) == 1) _applierIdle.Reset();
        _committed.Add(committed);
    }

    /// <summary>Waits until every committed group has been applied and answered (before a checkpoint that must cover them).</summary>
    private void WaitForApplier() => _applierIdle.Wait();

    private void StopApplier()
    {
        _committed.CompleteAdding();
        _applier?.Join();
        _applier = null;
    }

    private void ApplyCommitted()
    {
        foreach (var committed in _committed.GetConsumingEnumerable())
        {
            try
            {
                if (committed.ToApply.Count > 0) tracker.Apply(committed.ToApply, committed.LastSequence);
                tracker.CountDropped(committed.Ignored.Sum(), committed.Duplicates.Sum());
                for (var i = 0; i < committed.Group.Count; i++)
                    committed.Group[i].Completion.TrySetResult(
                        new IngestResult(committed.Accepted[i], committed.Duplicates[i], committed.Ignored[i]));
            }
            catch (Exception ex)
            {
                // Committed but not applied: the events are in the log and come back with the next restart's replay.
                LogApplyFailure(logger, committed.ToApply.Count, ex);
                foreach (var batch in committed.Group) batch.Completion.TrySetException(ex);
            }
            finally
            {
                if (Interlocked.Decrement(ref _inFlight) == 0) _applierIdle.Set();
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not apply {Count} committed activity events to the online list")]
    private static partial void LogApplyFailure(ILogger logger, int count, Exception exception);

    private sealed record CommittedGroup(
        List<EventBatch> Group, List<ActivityEvent> ToApply, long LastSequence, int[] Accepted, int[] Duplicates, int[] Ignored);
}
