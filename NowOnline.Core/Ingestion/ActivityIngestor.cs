using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NowOnline.Core.Diagnostics;
using NowOnline.Core.Persistence;
using NowOnline.Core.Presence;

namespace NowOnline.Core.Ingestion;

/// <summary>
/// The single writer. Requests queue their batches; the writer commits everything waiting in one transaction (group
/// commit) and hands the group to the <see cref="CommittedGroupApplier"/>, which applies it to the tracker and answers each
/// request while the writer commits the next group. A request is acknowledged only after its events are committed and
/// applied; a failed commit applies nothing. Every 10 seconds the writer also starts a state checkpoint, which it writes
/// in slices between commit groups (<see cref="ActivityLogCheckpointPass"/>), and it runs storage upkeep (probes,
/// retention) itself, so nothing else ever competes with it for the log file's write lock. The look-ups by event id and
/// session are filed by a thread of their own into a file of their own (<see cref="EventLookup"/>).
/// </summary>
public sealed partial class ActivityIngestor(
    PresenceTracker tracker,
    SqliteDatabase database,
    TimeProvider clock,
    IOptions<PresenceOptions> presence,
    ILogger<ActivityIngestor> logger) : BackgroundService, IActivityIngestor
{
    private const int MaxEventsPerCommit = 5000;
    /// <summary>
    /// How often a checkpoint pass starts. Each pass rewrites every session and cart that changed since the last one, so a
    /// longer gap writes each busy session's row once for more of its events. With the look-ups filed off the writer's
    /// lock, every 10 s took 72,690 / 75,261 events/s (21-22 µs CPU per event) against 57,075 / 64,760 (23.6-26.7 µs) for
    /// every second, wrk for 60 s ("The look-up file" in the performance notes). The price: a restart replays up to this
    /// much more of the log.
    /// </summary>
    private static readonly TimeSpan CheckpointEvery = TimeSpan.FromSeconds(10);

    /// <summary>How long the writer idles before its upkeep (the checkpoint's next slice, the storage probe, the filter's sweep).</summary>
    private static readonly TimeSpan UpkeepEvery = TimeSpan.FromSeconds(1);

    private readonly Channel<WriterWork> _queue = Channel.CreateBounded<WriterWork>(
        new BoundedChannelOptions(10_000) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly WriterConnection _store = new(database, new EventIdFilter(presence.Value.EventIdFilterBytes,
        TimeSpan.FromMinutes(presence.Value.EventIdRetentionMinutes) / EventIdFilter.GenerationsPerRetention, clock.GetUtcNow().UtcTicks),
        new EventLookup(database, logger));
    private readonly StorageHealth _health = new(database, clock);
    private readonly CommittedGroupApplier _applier = new(tracker, logger);
    private readonly HashSet<string> _idsInGroup = new(StringComparer.Ordinal);
    private DateTimeOffset _lastCheckpoint;
    private long _writtenSequence = -1;
    private ActivityLogCheckpointPass? _pass;
    private WalCheckpointer? _wal;

    /// <summary>True after a write failed, until a write (an event commit, a checkpoint or a probe) succeeds again.</summary>
    public bool StorageFaulted => _health.Faulted;

    /// <summary>Stores the events durably and applies them. Throws <see cref="StorageUnavailableException"/> when storage fails.</summary>
    public Task<IngestResult> SubmitAsync(IReadOnlyList<ActivityEvent> events, CancellationToken cancellationToken = default) =>
        EventBatch.SubmitAsync(_queue.Writer, events, tracker.IsBot, cancellationToken);

    /// <summary>Writes the state tables and files the look-up file now (used at shutdown and by tests that restart the app).</summary>
    public async Task CheckpointAsync(CancellationToken cancellationToken = default)
    {
        var request = new CheckpointRequest();
        await _queue.Writer.WriteAsync(request, cancellationToken);
        await request.Completion.Task.WaitAsync(cancellationToken);
    }

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

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _lastCheckpoint = clock.GetUtcNow();
        var reader = _queue.Reader;
        using var wal = _wal = new WalCheckpointer(database, logger);
        wal.Start();
        _applier.Start();
        LoadEventIdFilter();
        _store.Lookup.Start();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                // Nothing waiting: the checkpoint in progress goes on, one slice at a time, until a request comes.
                if (_pass is not null && !_health.Faulted && !reader.TryPeek(out _))
                {
                    TryCheckpointSlice();
                    continue;
                }

                if (!await WaitForWorkAsync(reader, stoppingToken)) break;
                Drain(reader);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        // Shutting down: refuse new work (503), answer everything queued, then leave the state tables current.
        _queue.Writer.TryComplete();
        while (reader.TryPeek(out _)) Drain(reader);
        _applier.Stop();
        if (!_health.Faulted) TryCheckpoint();
        _store.Lookup.Dispose();
        wal.Stop();
        _store.Drop();
    }

    private async Task<bool> WaitForWorkAsync(ChannelReader<WriterWork> reader, CancellationToken stoppingToken)
    {
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        idle.CancelAfter(UpkeepEvery);
        try
        {
            return await reader.WaitToReadAsync(idle.Token);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            // Idle for a while: upkeep.
            if (!_health.Faulted) TryCheckpointSlice();
            if (_health.ProbeDue) TryProbe();
            if (!_health.Faulted) TrySweepFilter();
            return true;
        }
    }

    private void Drain(ChannelReader<WriterWork> reader)
    {
        var group = new List<EventBatch>();
        var checkpoints = new List<CheckpointRequest>();
        var chores = new List<WriterWork>();
        var events = 0;
        while (events < MaxEventsPerCommit && reader.TryRead(out var item))
        {
            if (item is EventBatch batch)
            {
                group.Add(batch);
                events += batch.Events.Length;
            }
            else if (item is CheckpointRequest checkpoint) checkpoints.Add(checkpoint);
            else chores.Add(item);
        }

        if (group.Count > 0)
        {
            try
            {
                Commit(group);
            }
            finally
            {
                foreach (var batch in group) batch.ReleasePayloads();
            }
        }
        if (_wal?.TakeCatchUp() == true && !_health.Faulted) TryCatchUpWal();
        if (checkpoints.Count > 0)
        {
            // Asked for: cover every event acknowledged so far, written whole before the answer.
            _applier.WaitUntilIdle();
            var error = _health.Faulted ? _health.Down() : TryCheckpoint() ?? TryFileLookups();
            foreach (var request in checkpoints)
                if (error is null) request.Completion.TrySetResult();
                else request.Completion.TrySetException(error);
        }
        else if (!_health.Faulted) TryCheckpointSlice();

        foreach (var chore in chores) RunChore(chore);
        if (_health.ProbeDue) TryProbe();
    }

    private void Commit(List<EventBatch> group)
    {
        var started = NowOnlineMetrics.CommitStarted();
        // Repeats of ids logged before are answered by the log's filter and index (ActivityLogWriter.Append), not here.
        var tally = new GroupTally(group, knownIds: null, _idsInGroup);
        var toStore = tally.ToStore;
        if (toStore.Count > 0 && _health.Faulted)
        {
            // Fail fast while storage is down instead of making every request wait for the busy timeout;
            // the writer's probe (every second) decides when commits are tried again.
            var down = _health.Down();
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
                _health.EnsureFreeSpace();
                sequences = _store.Log.Append(toStore, clock.GetUtcNow());
                _health.Written();
            }
            catch (Exception ex)
            {
                Fault(ex);
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
                    // Already in the log from before the tracker's window: applied then, so a duplicate now.
                    tally.AlreadyLogged(k);
                    continue;
                }

                toApply.Add(toStore[k].Event);
                lastSequence = Math.Max(lastSequence, sequences[k]);
            }
        }

        NowOnlineMetrics.Committed(started, tally.Accepted, tally.Duplicates, tally.Ignored);
        _applier.Post(new CommittedGroup(group, toApply, lastSequence, tally.Accepted, tally.Duplicates, tally.Ignored));
    }

    /// <summary>
    /// Writes a whole checkpoint now (on request, at shutdown): the pass in progress, then one covering what the tracker has
    /// applied.
    /// </summary>
    private Exception? TryCheckpoint()
    {
        if (TryFinishPass() is { } error) return error;
        if (!TryBeginCheckpoint()) return _health.Faulted ? _health.Down() : null;
        return TryFinishPass();
    }

    /// <summary>Writes the pass in progress, if any, slice after slice to its end, once its rows are in key order.</summary>
    private Exception? TryFinishPass()
    {
        _pass?.Rows.WaitReady();
        while (_pass is not null)
            if (TryCheckpointSlice() is { } error) return error;
        return null;
    }

    /// <summary>
    /// One step of the checkpoint: the next slice of the pass in progress, or, when none is and a second has passed since
    /// the last one started, a new pass and its first slice. A slice holds SQLite's write lock for a short transaction
    /// (<see cref="ActivityLogWriter.SliceRows"/>), so a request that falls due during a checkpoint waits for one slice, not
    /// for the whole checkpoint.
    /// </summary>
    private Exception? TryCheckpointSlice()
    {
        if (_pass is null && (clock.GetUtcNow() - _lastCheckpoint < CheckpointEvery || !TryBeginCheckpoint())) return null;
        var pass = _pass!;
        if (!pass.Rows.Ready) return null; // still being put in key order on a pool thread: commits go on meanwhile
        try
        {
            if (_store.Log.WriteSlice(pass))
            {
                _writtenSequence = pass.Sequence;
                _pass = null;
            }

            _health.Touched();
            return null;
        }
        catch (Exception ex)
        {
            // What earlier slices wrote stays (each row carries the sequence it reflects); the whole pass goes back to the
            // tracker and is written again, at a later sequence, by the next pass.
            _pass = null;
            pass.Rows.GiveBack();
            Fault(ex);
            LogCheckpointFailure(logger, ex);
            return ex;
        }
    }

    /// <summary>Files the look-up file up to the log's head now (a checkpoint asked for covers it too).</summary>
    private Exception? TryFileLookups()
    {
        try
        {
            _store.Lookup.FoldToHead();
            return null;
        }
        catch (Exception ex) when (ex is SqliteException or IOException or InvalidOperationException)
        {
            return ex;
        }
    }

    private bool TryBeginCheckpoint()
    {
        // The checkpoint covers what the tracker has applied; groups still on their way to it are filed by a later one.
        var checkpoint = tracker.BeginCheckpointPass();
        _lastCheckpoint = clock.GetUtcNow();
        if (checkpoint.IsEmpty && checkpoint.Sequence == _writtenSequence) return false;
        try
        {
            _pass = _store.Log.BeginCheckpoint(checkpoint);
            return true;
        }
        catch (Exception ex)
        {
            checkpoint.GiveBack();
            Fault(ex);
            LogCheckpointFailure(logger, ex);
            return false;
        }
    }

    /// <summary>Fills the event-id filter from the log before the first commit (retried with the next commit if it fails).</summary>
    private void LoadEventIdFilter()
    {
        try
        {
            _ = _store.Log;
        }
        catch (Exception ex)
        {
            Fault(ex);
        }
    }

    private void TrySweepFilter()
    {
        try
        {
            _store.Log.SweepFilter(clock.GetUtcNow());
        }
        catch (Exception ex)
        {
            Fault(ex); // the writer's connection could not be opened: the probe reports it and decides when to try again
        }
    }

    private void TryCatchUpWal()
    {
        try
        {
            _store.Log.CatchUpWal();
        }
        catch (SqliteException ex)
        {
            // Only the log's length is at stake: the background pass copies it later, and a broken file fails the next commit.
            LogWalCatchUpFailure(logger, ex);
        }
    }

    private string? TryProbe()
    {
        var at = _health.StartProbe();
        try
        {
            _health.EnsureFreeSpace(force: true);
            ActivityLog.Probe(_store.Connection, at);
            if (_health.Faulted) LogStorageRecovered(logger);
            _health.Written();
            return null;
        }
        catch (Exception ex)
        {
            Fault(ex);
            return ex.Message;
        }
    }

    private void RunChore(WriterWork chore)
    {
        switch (chore)
        {
            case ProbeRequest probe:
                probe.Completion.TrySetResult(_health.WroteRecently ? null : TryProbe());
                break;
            case RetentionRequest retention:
                try
                {
                    // No free-space guard here: deleting is how space comes back.
                    var result = ActivityLog.DeleteExpired(_store.Connection, retention.Batch, _store.Lookup.FoldedTo);
                    // Fewer than asked: nothing received before the bound is left, so the event-id filter may forget it too.
                    if (result.Events < retention.Batch.Size) _store.Log.ForgetBefore(retention.Batch.EventsBefore);
                    _health.Touched();
                    retention.Completion.TrySetResult(result);
                }
                catch (Exception ex)
                {
                    Fault(ex);
                    retention.Completion.TrySetException(new StorageUnavailableException("Retention could not delete old rows.", ex));
                }

                break;
        }
    }

    private void Fault(Exception cause)
    {
        _health.Fault(cause);
        _store.Drop();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not commit {Count} activity events; the batch was refused")]
    private static partial void LogStorageFailure(ILogger logger, int count, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not write the state checkpoint; it will be retried")]
    private static partial void LogCheckpointFailure(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "The writer could not copy the write-ahead log's tail; the log is started over later")]
    private static partial void LogWalCatchUpFailure(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "The activity store can be written again")]
    private static partial void LogStorageRecovered(ILogger logger);
}

/// <summary>
/// One retention step: at most <paramref name="Size"/> sessions whose last activity is before <paramref name="SessionsBefore"/>
/// (with their visitor carts), and at most as many logged events received before <paramref name="EventsBefore"/> that the
/// state checkpoint already covers.
/// </summary>
public sealed record RetentionBatch(int Size, DateTimeOffset SessionsBefore, DateTimeOffset EventsBefore);

/// <summary>How many rows one retention step deleted.</summary>
public sealed record RetentionResult(int Sessions, int Events);
