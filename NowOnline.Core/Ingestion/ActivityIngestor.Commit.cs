using Microsoft.Extensions.Logging;
using NowOnline.Core.Persistence;
using NowOnline.Core.Presence;

namespace NowOnline.Core.Ingestion;

public sealed partial class ActivityIngestor
{
    private void Commit(List<EventBatch> group)
    {
        var toStore = new List<ActivityEvent>();
        var results = new IngestResult[group.Count];
        var idsInGroup = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < group.Count; i++)
        {
            int accepted = 0, duplicates = 0, ignored = 0;
            foreach (var activity in group[i].Events)
            {
                if (tracker.IsBot(activity.UserAgent)) ignored++;
                else if (activity.EventId is { } id && (tracker.IsKnownEvent(id) || !idsInGroup.Add(id))) duplicates++;
                else
                {
                    toStore.Add(ToStoredPrecision(activity));
                    accepted++;
                }
            }

            results[i] = new IngestResult(accepted, duplicates, ignored);
        }

        long lastSequence = 0;
        if (toStore.Count > 0)
        {
            try
            {
                lastSequence = ActivityLog.Append(Connection(), toStore, clock.GetUtcNow());
                StorageFaulted = false;
            }
            catch (Exception ex)
            {
                StorageFaulted = true;
                DropConnection();
                LogStorageFailure(logger, toStore.Count, ex);
                var failure = new StorageUnavailableException("The activity store cannot be written right now.", ex);
                foreach (var batch in group) batch.Completion.TrySetException(failure);
                return;
            }
        }

        tracker.Apply(toStore, lastSequence);
        tracker.CountDropped(results.Sum(r => r.Ignored), results.Sum(r => r.Duplicates));
        for (var i = 0; i < group.Count; i++) group[i].Completion.TrySetResult(results[i]);
    }

    /// <summary>The database keeps milliseconds; trimming here keeps memory and disk identical across a restart.</summary>
    private static ActivityEvent ToStoredPrecision(ActivityEvent activity)
    {
        var ms = activity.OccurredAt.ToUnixTimeMilliseconds();
        return activity.OccurredAt.UtcTicks % TimeSpan.TicksPerMillisecond == 0 && activity.OccurredAt.Offset == TimeSpan.Zero
            ? activity
            : activity with { OccurredAt = DateTimeOffset.FromUnixTimeMilliseconds(ms) };
    }

    private Exception? TryCheckpoint()
    {
        var checkpoint = tracker.TakeCheckpoint();
        _lastCheckpoint = clock.GetUtcNow();
        if (checkpoint.IsEmpty && checkpoint.Sequence == _writtenSequence) return null;
        try
        {
            ActivityLog.WriteCheckpoint(Connection(), checkpoint);
            _writtenSequence = checkpoint.Sequence;
            return null;
        }
        catch (Exception ex)
        {
            tracker.ReturnCheckpoint(checkpoint);
            DropConnection();
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
