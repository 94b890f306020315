using Microsoft.Extensions.Logging;
using Npgsql;

namespace NowOnline.Core.Retention;

/// <summary>
/// The cleanup lease on PostgreSQL: a session-level <c>pg_try_advisory_lock</c> on a connection of its own that the
/// node keeps open for as long as it holds the lease. Only one node works per round, and always the same one while
/// it lives; when it stops or dies its connection closes, PostgreSQL releases the lock, and the next node to try takes
/// over at its next round. (A machine that vanishes without closing its sockets holds the lock until the server's
/// TCP keepalive gives up on it: set <c>tcp_keepalives_idle</c> on the server to bound that.)
/// </summary>
public sealed partial class PostgreSqlCleanupLease(string connectionString, ILogger<PostgreSqlCleanupLease> logger)
    : ICleanupLease, IAsyncDisposable
{
    /// <summary>Arbitrary but fixed, distinct from the migration lock and the event log's append lock.</summary>
    public const long LockKey = 0x4E4F_574F_434C_4E21; // "NOWOCLN!"

    private readonly SemaphoreSlim _gate = new(1, 1);
    // Outside the pool: a pooled connection is reset (DISCARD ALL) when returned, which would drop the lock early.
    private readonly string _ownConnection = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString;
    private NpgsqlConnection? _held;

    public bool IsHeld => _held is not null;

    public async Task<bool> TryHoldAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_held is not null)
            {
                if (await IsAliveAsync(_held, cancellationToken)) return true;
                LogLost(logger);
                await DropAsync();
            }

            var connection = new NpgsqlConnection(_ownConnection);
            try
            {
                await connection.OpenAsync(cancellationToken);
                await using var take = new NpgsqlCommand($"SELECT pg_try_advisory_lock({LockKey})", connection);
                if (await take.ExecuteScalarAsync(cancellationToken) is true)
                {
                    _held = connection;
                    LogTaken(logger);
                    return true;
                }
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
            {
                LogUnreachable(logger, ex);
            }

            await connection.DisposeAsync();
            return false;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync();
        try
        {
            await DropAsync();
        }
        finally
        {
            _gate.Release();
        }
    }

    private static async Task<bool> IsAliveAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        try
        {
            await using var ping = new NpgsqlCommand("SELECT 1", connection);
            await ping.ExecuteScalarAsync(cancellationToken);
            return true;
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            return false;
        }
    }

    private async Task DropAsync()
    {
        if (_held is null) return;
        await _held.DisposeAsync(); // closing the session releases the lock
        _held = null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "This node now runs the cluster's retention and session-data purge")]
    private static partial void LogTaken(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The connection holding the cleanup lease was lost; trying to take the lease again")]
    private static partial void LogLost(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not reach PostgreSQL for the cleanup lease; skipping this round")]
    private static partial void LogUnreachable(ILogger logger, Exception exception);
}
