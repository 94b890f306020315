using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using NowOnline.Core.Ingestion;
using NowOnline.Core.Presence;

namespace NowOnline.Core.Cluster;

/// <summary>
/// One node at a time writes the cluster's state tables: the holder of a session-level advisory
/// lock, taken on a connection of its own. When that connection drops (the node died, or PostgreSQL restarted) the lock
/// goes with it and the next node to try takes over. A new writer writes its whole state once (it discarded its change
/// sets while another node wrote them), and never a sequence below the one already written, so the tables always match
/// the sequence they name and a starting node can replay the log from there.
/// </summary>
public sealed partial class CheckpointLeader(PresenceTracker tracker, ClusterDatabase database, ILogger<CheckpointLeader> logger)
    : BackgroundService
{
    /// <summary>The advisory lock of the checkpoint writer (distinct from the append and migration locks).</summary>
    public const long LockKey = 0x4E4F_574F_4C45_4144; // "NOWOLEAD"

    private static readonly TimeSpan Every = TimeSpan.FromSeconds(1);

    private readonly SemaphoreSlim _turn = new(1, 1);
    private NpgsqlConnection? _lock;
    private long _written;

    /// <summary>True while this node holds the lock and writes the cluster's checkpoint.</summary>
    public bool IsLeader => _lock is not null;

    /// <summary>The sequence of the last checkpoint this node wrote.</summary>
    public long WrittenSequence => Interlocked.Read(ref _written);

    /// <summary>When this node writes the checkpoint: writes it now, covering what the tracker has applied.</summary>
    public async Task CheckpointNowAsync(CancellationToken cancellationToken = default)
    {
        await _turn.WaitAsync(cancellationToken);
        try
        {
            if (_lock is not null) await WriteAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await StepDownAsync(ex);
            throw new StorageUnavailableException("The checkpoint could not be written.", ex);
        }
        finally
        {
            _turn.Release();
        }
    }

    /// <summary>
    /// One retention step. Which node runs retention is the cleanup lease's decision (one node per cluster, see
    /// <c>ICleanupLease</c>), not this one's: the step deletes only log rows the stored checkpoint covers, so it is safe from
    /// any node. The checkpoint writer uses its own connection; any other node a pooled one.
    /// </summary>
    public async Task<RetentionResult> DeleteExpiredAsync(RetentionBatch batch, CancellationToken cancellationToken = default)
    {
        await _turn.WaitAsync(cancellationToken);
        try
        {
            if (_lock is not null) return await ClusterState.DeleteExpiredAsync(_lock, batch, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await StepDownAsync(ex);
            throw new StorageUnavailableException("Retention could not delete old rows.", ex);
        }
        finally
        {
            _turn.Release();
        }

        try
        {
            await using var connection = await database.OpenAsync(cancellationToken);
            return await ClusterState.DeleteExpiredAsync(connection, batch, cancellationToken);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            throw new StorageUnavailableException("Retention could not delete old rows.", ex);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Every);
        try
        {
            do
            {
                await _turn.WaitAsync(stoppingToken);
                try
                {
                    if (_lock is null) await TryLeadAsync(stoppingToken);
                    if (_lock is not null) await WriteAsync(stoppingToken);
                    // Another node writes the checkpoint: this node's change sets would only grow.
                    else tracker.TakeCheckpoint();
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    await StepDownAsync(ex);
                }
                finally
                {
                    _turn.Release();
                }
            } while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await _turn.WaitAsync(CancellationToken.None);
        try
        {
            // Leave the tables current, then let the lock go with the connection: another node takes over at once.
            if (_lock is not null) await WriteAsync(CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogLost(logger, ex);
        }
        finally
        {
            await ClusterDatabase.DropAsync(_lock);
            _lock = null;
            _turn.Release();
        }
    }

    private async Task TryLeadAsync(CancellationToken cancellationToken)
    {
        var connection = await database.OpenAsync(cancellationToken);
        try
        {
            await using var take = new NpgsqlCommand($"SELECT pg_try_advisory_lock({LockKey})", connection);
            if (!(bool)(await take.ExecuteScalarAsync(cancellationToken))!)
            {
                await connection.DisposeAsync();
                return;
            }

            Interlocked.Exchange(ref _written, await ClusterState.CheckpointSequenceAsync(connection, cancellationToken));
            tracker.MarkAllForCheckpoint();
            _lock = connection;
            LogLeading(logger, WrittenSequence);
        }
        catch
        {
            await ClusterDatabase.DropAsync(connection);
            throw;
        }
    }

    private async Task WriteAsync(CancellationToken cancellationToken)
    {
        // Never below what is written: a new writer whose tracker is behind waits until it has applied that far.
        if (tracker.AppliedSequence < WrittenSequence) return;
        var checkpoint = tracker.TakeCheckpoint();
        if (checkpoint.IsEmpty && checkpoint.Sequence == WrittenSequence) return;
        try
        {
            await ClusterState.WriteCheckpointAsync(_lock!, checkpoint, WrittenSequence, cancellationToken);
            Interlocked.Exchange(ref _written, checkpoint.Sequence);
        }
        catch
        {
            tracker.ReturnCheckpoint(checkpoint);
            throw;
        }
    }

    private async Task StepDownAsync(Exception cause)
    {
        if (_lock is null) return;
        LogLost(logger, cause);
        await ClusterDatabase.DropAsync(_lock);
        _lock = null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "This node now writes the cluster's checkpoint (the last one written is at sequence {Sequence})")]
    private static partial void LogLeading(ILogger logger, long sequence);

    [LoggerMessage(Level = LogLevel.Warning, Message = "This node lost the checkpoint writer's lock; another node (or this one, later) takes over")]
    private static partial void LogLost(ILogger logger, Exception exception);
}
