using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NowOnline.Core.Persistence;
using NowOnline.Core.Presence;

namespace NowOnline.Core.Ingestion;

/// <summary>
/// The single writer. Requests queue their batches; the writer commits everything waiting in one
/// transaction (group commit) and hands the group to the applier, which applies it to the tracker and answers
/// each request while the writer commits the next group. A request is acknowledged only after its events are
/// committed and applied; a failed commit applies nothing.
/// </summary>
public sealed partial class ActivityIngestor(
    PresenceTracker tracker,
    SqliteDatabase database,
    TimeProvider clock,
    ILogger<ActivityIngestor> logger) : BackgroundService
{
    private const int MaxEventsPerCommit = 5000;
    private static readonly TimeSpan CheckpointEvery = TimeSpan.FromSeconds(1);

    private readonly Channel<WorkItem> _queue = Channel.CreateBounded<WorkItem>(
        new BoundedChannelOptions(10_000) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private SqliteConnection? _connection;
    private ActivityLogWriter? _log;
    private DateTimeOffset _lastCheckpoint;

    /// <summary>Stores the events durably and applies them. Throws <see cref="StorageUnavailableException"/> when storage fails.</summary>
    public async Task<IngestResult> SubmitAsync(IReadOnlyList<ActivityEvent> events, CancellationToken cancellationToken = default)
    {
        var batch = new EventBatch(StoredEvent.Encode(events, tracker.IsBot));
        try
        {
            await _queue.Writer.WriteAsync(batch, cancellationToken);
        }
        catch (ChannelClosedException ex)
        {
            throw new StorageUnavailableException("The service is shutting down; nothing was stored.", ex);
        }

        return await batch.Completion.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Writes the state tables now (used at shutdown and by tests that restart the app).</summary>
    public async Task CheckpointAsync(CancellationToken cancellationToken = default)
    {
        var request = new CheckpointRequest();
        await _queue.Writer.WriteAsync(request, cancellationToken);
        await request.Completion.Task.WaitAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _lastCheckpoint = clock.GetUtcNow();
        var reader = _queue.Reader;
        using var wal = new WalCheckpointer(database, logger);
        wal.Start();
        StartApplier();
        try
        {
            while (await WaitForWorkAsync(reader, stoppingToken))
                await DrainAsync(reader);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        // Shutting down: refuse new work (503), answer everything queued, then leave the state tables current.
        _queue.Writer.TryComplete();
        while (reader.TryPeek(out _)) await DrainAsync(reader);
        StopApplier();
        if (!_faulted) TryCheckpoint();
        wal.Stop();
        DropConnection();
    }

    private async Task<bool> WaitForWorkAsync(ChannelReader<WorkItem> reader, CancellationToken stoppingToken)
    {
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        idle.CancelAfter(CheckpointEvery);
        try
        {
            return await reader.WaitToReadAsync(idle.Token);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            Maintain();
            return true;
        }
    }

    private Task DrainAsync(ChannelReader<WorkItem> reader)
    {
        var group = new List<EventBatch>();
        var checkpoints = new List<CheckpointRequest>();
        var chores = new List<WorkItem>();
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

        if (group.Count > 0) Commit(group);
        if (checkpoints.Count > 0 || (!_faulted && clock.GetUtcNow() - _lastCheckpoint >= CheckpointEvery))
        {
            // Asked for: cover every event acknowledged so far; on its own: whatever the applier has reached.
            if (checkpoints.Count > 0) WaitForApplier();
            var error = _faulted ? StorageDown() : TryCheckpoint();
            foreach (var request in checkpoints)
                if (error is null) request.Completion.TrySetResult();
                else request.Completion.TrySetException(error);
        }

        foreach (var chore in chores) RunChore(chore);
        ProbeIfFaulted();
        return Task.CompletedTask;
    }

    private SqliteConnection Connection()
    {
        if (_connection is not null) return _connection;
        _connection = database.OpenAsync().GetAwaiter().GetResult();
        return _connection;
    }

    private ActivityLogWriter Log() => _log ??= new ActivityLogWriter(Connection());

    private void DropConnection()
    {
        try
        {
            // Its prepared statements go first: a connection closes only once no statement is left on it.
            _log?.Dispose();
            _log = null;
            _connection?.Dispose();
        }
        catch (SqliteException)
        {
            // Closing a connection whose file just failed must not take the writer down.
        }

        _connection = null;
        SqliteConnection.ClearAllPools();
    }

    private abstract class WorkItem;

    private sealed class EventBatch(StoredEvent[] events) : WorkItem
    {
        public StoredEvent[] Events { get; } = events;
        public TaskCompletionSource<IngestResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class CheckpointRequest : WorkItem
    {
        public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
