using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace NowOnline.Core.Persistence;

/// <summary>
/// Copies committed pages from the write-ahead log into the database file on a thread and connection of its own
/// (<c>PRAGMA wal_checkpoint(PASSIVE)</c>, which never takes the write lock), so the writer's commits only append to
/// the log and sync it. The writer's connection turns SQLite's automatic checkpoint off (<see cref="ActivityLogWriter"/>);
/// durability does not change: a commit is durable once the log is synced (synchronous=FULL).
/// </summary>
internal sealed partial class WalCheckpointer(SqliteDatabase database, ILogger logger) : IDisposable
{
    private static readonly TimeSpan Every = TimeSpan.FromMilliseconds(100);
    private readonly CancellationTokenSource _stop = new();
    private Thread? _thread;

    public void Start()
    {
        _thread = new Thread(Run) { IsBackground = true, Name = "NowOnline WAL checkpoint" };
        _thread.Start();
    }

    /// <summary>Stops the loop and waits for a checkpoint in progress.</summary>
    public void Stop()
    {
        _stop.Cancel();
        _thread?.Join();
        _thread = null;
    }

    public void Dispose()
    {
        Stop();
        _stop.Dispose();
    }

    private void Run()
    {
        SqliteConnection? connection = null;
        while (!_stop.Token.WaitHandle.WaitOne(Every))
        {
            try
            {
                connection ??= database.OpenAsync().GetAwaiter().GetResult();
                using var checkpoint = connection.CreateCommand();
                checkpoint.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
                checkpoint.ExecuteNonQuery();
            }
            catch (SqliteException ex)
            {
                // The writer notices and reports storage faults; this loop only tries again with a fresh connection.
                LogCheckpointFailed(logger, ex);
                connection?.Dispose();
                connection = null;
            }
        }

        connection?.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "A background WAL checkpoint failed; it is retried")]
    private static partial void LogCheckpointFailed(ILogger logger, Exception exception);
}
