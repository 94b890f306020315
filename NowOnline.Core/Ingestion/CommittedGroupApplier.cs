using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using NowOnline.Core.Presence;

namespace NowOnline.Core.Ingestion;

/// <summary>
/// The second stage of the pipeline: committed groups are applied to the tracker and answered on a thread of its own, in
/// commit order, while the writer already commits the next group (this overlap took ingestion from 18,000 to 41,000
/// events/s in the first separate-commit measurements, see the performance notes). A request is still answered only after
/// its events are committed and applied. Invariant: <see cref="WaitUntilIdle"/> returns only when every group posted before
/// it has been applied and answered.
/// </summary>
internal sealed partial class CommittedGroupApplier(PresenceTracker tracker, ILogger logger)
{
    private readonly BlockingCollection<CommittedGroup> _committed = new(boundedCapacity: 64);
    private readonly ManualResetEventSlim _idle = new(initialState: true);
    private int _inFlight;
    private Thread? _thread;

    public void Start()
    {
        _thread = new Thread(Run) { IsBackground = true, Name = "NowOnline apply" };
        _thread.Start();
    }

    /// <summary>Hands a committed group over (waits when 64 groups are already waiting).</summary>
    public void Post(CommittedGroup committed)
    {
        if (Interlocked.Increment(ref _inFlight) == 1) _idle.Reset();
        _committed.Add(committed);
    }

    /// <summary>Waits until every group posted so far has been applied and answered (before a checkpoint that must cover them).</summary>
    public void WaitUntilIdle() => _idle.Wait();

    /// <summary>Applies what is queued, then ends the thread.</summary>
    public void Stop()
    {
        _committed.CompleteAdding();
        _thread?.Join();
        _thread = null;
    }

    private void Run()
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
                if (Interlocked.Decrement(ref _inFlight) == 0) _idle.Set();
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not apply {Count} committed activity events to the online list")]
    private static partial void LogApplyFailure(ILogger logger, int count, Exception exception);
}

/// <summary>
/// One committed group on its way to the applier: the requests, the events to apply (stored, not duplicates, not bots)
/// with the log sequence of the last, and per request what to answer.
/// </summary>
internal sealed record CommittedGroup(
    List<EventBatch> Group, List<ActivityEvent> ToApply, long LastSequence, int[] Accepted, int[] Duplicates, int[] Ignored);
