using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using NowOnline.Core.Diagnostics;
using NowOnline.Core.Ingestion;
using NowOnline.Core.Persistence;
using NowOnline.Core.Presence;

namespace NowOnline.Core.Cluster;

/// <summary>
/// Ingestion on several nodes (ADR-007): requests queue their batches, and this node's writer appends everything waiting
/// to the cluster's PostgreSQL log in one transaction (group commit, ordered across nodes by an advisory lock). It applies
/// nothing itself: the <see cref="LogTailer"/> applies the log, this node's events among every node's, and a request is
/// answered once its group is committed and the tailer has applied it here (read-your-writes on this node). The 202's
/// duplicate count is a look-up of the ids this node knew before the append; the tailer decides, in log order, which copy
/// of a repeated id counts.
/// </summary>
public sealed partial class ClusterIngestor(
    PresenceTracker tracker,
    LogTailer tailer,
    CheckpointLeader leader,
    ClusterDatabase database,
    TimeProvider clock,
    ILogger<ClusterIngestor> logger) : BackgroundService, IActivityIngestor
{
    private const int MaxEventsPerCommit = 5000;

    /// <summary>How long an acknowledged (committed) request waits for this node's tailer before it is answered anyway.</summary>
    private static readonly TimeSpan ApplyWait = TimeSpan.FromSeconds(10);

    private readonly Channel<EventBatch> _queue = Channel.CreateBounded<EventBatch>(
        new BoundedChannelOptions(10_000) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly ClusterHealth _health = new(clock);
    private NpgsqlConnection? _connection;

    public bool StorageFaulted => _health.Faulted;

    public Task<IngestResult> SubmitAsync(IReadOnlyList<ActivityEvent> events, CancellationToken cancellationToken = default) =>
        EventBatch.SubmitAsync(_queue.Writer, events, tracker.IsBot, cancellationToken);

    /// <summary>On the cluster's checkpoint writer: writes the state tables now. Elsewhere: nothing (that node writes them).</summary>
    public Task CheckpointAsync(CancellationToken cancellationToken = default) => leader.CheckpointNowAsync(cancellationToken);

    public async Task<string?> ProbeStorageAsync(CancellationToken cancellationToken = default)
    {
        if (_health.WroteRecently) return null;
        return await ProbeAsync(cancellationToken);
    }

    /// <summary>Retention runs once for the cluster: on the checkpoint writer; elsewhere this deletes nothing.</summary>
    public Task<RetentionResult> DeleteExpiredAsync(RetentionBatch batch, CancellationToken cancellationToken = default) =>
        leader.DeleteExpiredAsync(batch, cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reader = _queue.Reader;
        try
        {
            while (await WaitForWorkAsync(reader, stoppingToken))
                await CommitThenReleaseAsync(Drain(reader));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        // Shutting down: refuse new work (503), commit what is queued.
        _queue.Writer.TryComplete();
        while (reader.TryPeek(out _)) await CommitThenReleaseAsync(Drain(reader));
        await ClusterDatabase.DropAsync(_connection);
        _connection = null;
    }

    private async Task<bool> WaitForWorkAsync(ChannelReader<EventBatch> reader, CancellationToken stoppingToken)
    {
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        idle.CancelAfter(ClusterHealth.ProbeEvery);
        try
        {
            return await reader.WaitToReadAsync(idle.Token);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            // Idle for a second: a faulted log is probed, so the node turns healthy again without traffic.
            if (_health.ProbeDue) await ProbeAsync(stoppingToken);
            return true;
        }
    }

    private static List<EventBatch> Drain(ChannelReader<EventBatch> reader)
    {
        var group = new List<EventBatch>();
        var events = 0;
        while (events < MaxEventsPerCommit && reader.TryRead(out var batch))
        {
            group.Add(batch);
            events += batch.Events.Length;
        }

        return group;
    }

    private async Task CommitThenReleaseAsync(List<EventBatch> group)
    {
        try
        {
            await CommitAsync(group);
        }
        finally
        {
            foreach (var batch in group) batch.ReleasePayloads();
        }
    }

    private async Task CommitAsync(List<EventBatch> group)
    {
        if (group.Count == 0) return;
        var started = NowOnlineMetrics.CommitStarted();
        var known = tracker.KnownEvents(group.SelectMany(batch => batch.Events).Select(stored => stored.Event.EventId));
        var tally = new GroupTally(group, known);
        var toStore = tally.ToStore;
        long lastSequence = 0;
        if (toStore.Count > 0)
        {
            if (_health.Faulted && !_health.ProbeDue)
            {
                // Fail fast while the log is down instead of making every request wait for a connection timeout; the
                // probe (every second) decides when appends are tried again.
                Fail(group, started, _health.Down());
                return;
            }

            if (_health.Faulted) _health.StartProbe();
            try
            {
                _connection ??= await database.OpenAsync();
                // Ids the tracker's window no longer holds may still be in the log (sent again after a long while): asked
                // in one indexed look-up per group, so a repeat is a duplicate however old, as on SQLite. Two nodes
                // appending the same new id at once both pass this; the tracker drops the later copy at apply time.
                var ids = toStore.Select(e => e.Event.EventId).OfType<string>().ToList();
                var alreadyLogged = await PostgreSqlEventLog.LoggedIdsAsync(_connection, ids);
                var logged = new List<LoggedEvent>(toStore.Count);
                for (var k = 0; k < toStore.Count; k++)
                {
                    if (toStore[k].Event.EventId is { } id && alreadyLogged.Contains(id))
                    {
                        tally.AlreadyLogged(k);
                        continue;
                    }

                    logged.Add(new LoggedEvent(toStore[k].Event.EventId, toStore[k].Event.SessionId, Encoding.UTF8.GetString(toStore[k].Payload.Span)));
                }

                if (logged.Count > 0)
                {
                    var sequences = await PostgreSqlEventLog.AppendAsync(_connection, logged, clock.GetUtcNow().ToUnixTimeMilliseconds());
                    lastSequence = sequences.Max();
                }

                if (_health.Faulted) LogRecovered(logger);
                _health.Written();
            }
            catch (Exception ex)
            {
                // Not committed, or not known to be: nothing is acknowledged, the storefront sends it again.
                await ClusterDatabase.DropAsync(_connection);
                _connection = null;
                database.ClearPool();
                _health.Fault(ex);
                LogAppendFailed(logger, toStore.Count, ex);
                Fail(group, started, new StorageUnavailableException("The cluster's event log cannot be written right now.", ex));
                return;
            }

            tailer.Wake();
        }

        NowOnlineMetrics.Committed(started, tally.Accepted, tally.Duplicates, tally.Ignored);
        tracker.CountDropped(tally.Ignored.Sum(), tally.Duplicates.Sum());
        _ = AnswerWhenAppliedAsync(group, tally, lastSequence);
    }

    private async Task AnswerWhenAppliedAsync(List<EventBatch> group, GroupTally tally, long lastSequence)
    {
        if (lastSequence > 0)
        {
            try
            {
                await tailer.WaitForAsync(lastSequence).WaitAsync(ApplyWait);
            }
            catch (TimeoutException)
            {
                // Committed, so durable and acknowledged; this node's list shows it once its tailer is back.
                LogApplyLate(logger, lastSequence);
            }
        }

        for (var i = 0; i < group.Count; i++)
            group[i].Completion.TrySetResult(new IngestResult(tally.Accepted[i], tally.Duplicates[i], tally.Ignored[i]));
    }

    private static void Fail(List<EventBatch> group, long started, Exception failure)
    {
        NowOnlineMetrics.CommitFailed(started, group.Count);
        foreach (var batch in group) batch.Completion.TrySetException(failure);
    }

    private async Task<string?> ProbeAsync(CancellationToken cancellationToken)
    {
        var at = _health.StartProbe();
        try
        {
            await ClusterState.ProbeAsync(database, at, cancellationToken);
            if (_health.Faulted) LogRecovered(logger);
            _health.Written();
            return null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            database.ClearPool();
            _health.Fault(ex);
            return ex.Message;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not append {Count} activity events to the cluster's log; the requests were refused")]
    private static partial void LogAppendFailed(ILogger logger, int count, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "The cluster's event log can be written again")]
    private static partial void LogRecovered(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Events up to sequence {Sequence} are committed but not yet applied on this node; answered anyway")]
    private static partial void LogApplyLate(ILogger logger, long sequence);
}
