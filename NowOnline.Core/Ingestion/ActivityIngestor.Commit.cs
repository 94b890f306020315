using Microsoft.Extensions.Logging;
using NowOnline.Core.Diagnostics;
using NowOnline.Core.Persistence;
using NowOnline.Core.Presence;

namespace NowOnline.Core.Ingestion;

public sealed partial class ActivityIngestor
{
    private void Commit(List<EventBatch> group)
    {
        var started = NowOnlineMetrics.CommitStarted();
        var toStore = new List<StoredEvent>();
        var owners = new List<int>();
        var accepted = new int[group.Count];
        var duplicates = new int[group.Count];
        var ignored = new int[group.Count];
        var idsInGroup = new HashSet<string>(StringComparer.Ordinal);
        // One look at the tracker's ids for the whole group: one hold of its lock instead of one per event.
        var known = tracker.KnownEvents(group.SelectMany(batch => batch.Events).Select(stored => stored.Event.EventId));
        var n = 0;
        for (var i = 0; i < group.Count; i++)
        {
            foreach (var stored in group[i].Events)
            {
                var activity = stored.Event;
                var isKnown = known[n++];
                if (stored.IsBot) ignored[i]++;
                else if (activity.EventId is { } id && (isKnown || !idsInGroup.Add(id))) duplicates[i]++;
                else
                {
                    toStore.Add(stored);
                    owners.Add(i);
                    accepted[i]++;
                }
            }
        }

        if (toStore.Count > 0 && _faulted)
        {
            // Fail fast while storage is down instead of making every request wait for the busy timeout;
            // the writer's probe (every second) decides when commits are tried again.
            var down = StorageDown();
            foreach (var batch in group) batch.Completion.TrySetException(down);
            return;
        }

        long lastSequence = 0;
        var toApply = new List<ActivityEvent>(toStore.Count);
        if (toStore.Count > 0)
        {
            long[] sequences;
            try
            {
                EnsureFreeSpace();
                sequences = Log().Append(toStore, clock.GetUtcNow());
                MarkStorageWritten();
            }
            catch (Exception ex)
            {
                MarkStorageFaulted(ex);
                LogStorageFailure(logger, toStore.Count, ex);
                NowOnlineMetrics.CommitFailed(started, group.Count);
                var failure = new StorageUnavailableException("The activity store cannot be written right now.", ex);
                foreach (var batch in group) batch.Completion.TrySetException(failure);
                return;
            }

            for (var k = 0; k < toStore.Count; k++)
            {
                if (sequences[k] == 0)
                {
                    // Already in the log from before the in-memory window: applied then, so a duplicate now.
                    accepted[owners[k]]--;
                    duplicates[owners[k]]++;
                    continue;
                }

                toApply.Add(toStore[k].Event);
                lastSequence = Math.Max(lastSequence, sequences[k]);
            }
        }

        NowOnlineMetrics.Committed(started, accepted, duplicates, ignored);
        Post(new CommittedGroup(group, toApply, lastSequence, accepted, duplicates, ignored));
    }

    private Exception? TryCheckpoint()
    {
        // The checkpoint covers what the tracker has applied; groups still on their way to it are filed by a later one.
        var checkpoint = tracker.TakeCheckpoint();
        _lastCheckpoint = clock.GetUtcNow();
        if (checkpoint.IsEmpty && checkpoint.Sequence == _writtenSequence) return null;
        try
        {
            Log().WriteCheckpoint(checkpoint);
            _writtenSequence = checkpoint.Sequence;
            _lastWrite = clock.GetUtcNow();
            return null;
        }
        catch (Exception ex)
        {
            tracker.ReturnCheckpoint(checkpoint);
            MarkStorageFaulted(ex);
            LogCheckpointFailure(logger, ex);
            return ex;
        }
    }

    private long _writtenSequence = -1;

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not commit {Count} activity events; the batch was refused")]
    private static partial void LogStorageFailure(ILogger logger, int count, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not write the state checkpoint; it will be retried")]
    private static partial void LogCheckpointFailure(ILogger logger, Exception exception);
}
