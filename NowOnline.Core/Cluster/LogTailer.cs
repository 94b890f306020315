using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using NowOnline.Core.Ingestion;
using NowOnline.Core.Persistence;
using NowOnline.Core.Presence;

namespace NowOnline.Core.Cluster;

/// <summary>
/// Applies the cluster's event log to this node's tracker, in sequence order, and nothing else does (ADR-007): the same
/// events in the same order on every node give the same list everywhere, duplicates included (the tracker drops a repeated
/// event id at apply time, so every node drops the same copy). Woken by <c>NOTIFY</c>, by this node's own appender, and
/// every second anyway; reconnects by itself. Appends are ordered by an advisory lock, so reading after the last applied
/// sequence never skips an event that commits later.
/// </summary>
public sealed partial class LogTailer(PresenceTracker tracker, ClusterDatabase database, ILogger<LogTailer> logger) : BackgroundService
{
    public const int BatchSize = 5000;
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ReconnectAfter = TimeSpan.FromSeconds(1);

    private readonly SemaphoreSlim _wake = new(0);
    private readonly object _gate = new();
    private readonly PriorityQueue<TaskCompletionSource, long> _waiters = new();
    private long _applied;
    private bool _stopped;
    private bool _lost;

    /// <summary>The last log sequence applied to this node's tracker.</summary>
    public long AppliedSequence => Interlocked.Read(ref _applied);

    /// <summary>Reads the log now instead of at the next notification (the appender calls it after its own commit).</summary>
    public void Wake()
    {
        if (_wake.CurrentCount == 0) _wake.Release();
    }

    /// <summary>Completes once the tracker has applied the log up to <paramref name="sequence"/> (or the tailer stopped).</summary>
    public Task WaitForAsync(long sequence)
    {
        lock (_gate)
        {
            if (_stopped || Interlocked.Read(ref _applied) >= sequence) return Task.CompletedTask;
            var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Enqueue(waiter, sequence);
            return waiter.Task;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The catch-up at start (ClusterCatchUp) brought the tracker this far.
        Interlocked.Exchange(ref _applied, tracker.AppliedSequence);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await FollowAsync(stoppingToken);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested && ex is not OperationCanceledException)
                {
                    if (!_lost) LogLost(logger, ex);
                    _lost = true;
                    database.ClearPool();
                    await Task.Delay(ReconnectAfter, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            ReleaseAll();
        }
    }

    private async Task FollowAsync(CancellationToken stoppingToken)
    {
        await using var listener = await database.OpenAsync(stoppingToken);
        listener.Notification += (_, _) => Wake();
        await using (var listen = new NpgsqlCommand($"LISTEN {PostgreSqlEventLog.Channel}", listener))
            await listen.ExecuteNonQueryAsync(stoppingToken);
        await using var reader = await database.OpenAsync(stoppingToken);
        if (_lost) LogReconnected(logger, AppliedSequence);
        _lost = false;
        using var stopListening = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var listening = ListenAsync(listener, stopListening.Token);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await CatchUpAsync(reader, stoppingToken);
                if (listening.IsCompleted) await listening; // the listener's connection failed: reconnect
                await _wake.WaitAsync(Poll, stoppingToken);
            }
        }
        finally
        {
            await stopListening.CancelAsync();
            try
            {
                await listening;
            }
            catch (Exception ex) when (ex is OperationCanceledException or NpgsqlException or IOException or InvalidOperationException)
            {
            }
        }
    }

    private static async Task ListenAsync(NpgsqlConnection listener, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested) await listener.WaitAsync(cancellationToken);
    }

    private async Task CatchUpAsync(NpgsqlConnection reader, CancellationToken cancellationToken)
    {
        while (true)
        {
            var batch = await PostgreSqlEventLog.ReadAfterAsync(reader, AppliedSequence, BatchSize, cancellationToken);
            if (batch.Count == 0) return;
            var events = new ActivityEvent[batch.Count];
            for (var i = 0; i < batch.Count; i++) events[i] = EventJson.Deserialize(batch[i].Payload);
            var last = batch[^1].Sequence;
            tracker.Apply(events, last);
            Interlocked.Exchange(ref _applied, last);
            ReleaseUpTo(last);
            if (batch.Count < BatchSize) return;
        }
    }

    private void ReleaseUpTo(long sequence)
    {
        List<TaskCompletionSource>? due = null;
        lock (_gate)
            while (_waiters.TryPeek(out _, out var waitsFor) && waitsFor <= sequence)
                (due ??= []).Add(_waiters.Dequeue());
        if (due is not null) foreach (var waiter in due) waiter.TrySetResult();
    }

    private void ReleaseAll()
    {
        List<TaskCompletionSource> all = [];
        lock (_gate)
        {
            _stopped = true;
            while (_waiters.TryDequeue(out var waiter, out _)) all.Add(waiter);
        }

        foreach (var waiter in all) waiter.TrySetResult();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The event log tailer lost PostgreSQL; the list keeps its last state and the tailer reconnects")]
    private static partial void LogLost(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "The event log tailer reconnected; it resumes after sequence {Sequence}")]
    private static partial void LogReconnected(ILogger logger, long sequence);
}
