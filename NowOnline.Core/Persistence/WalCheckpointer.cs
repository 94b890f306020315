using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace NowOnline.Core.Persistence;

/// <summary>
/// Copies committed pages from the write-ahead log into the database file on a thread and connection of its own
/// (<c>PRAGMA wal_checkpoint(PASSIVE)</c>, which never takes the write lock), so the writer's commits only append to
/// the log and sync it. The writer's connection turns SQLite's automatic checkpoint off (<see cref="ActivityLogWriter"/>);
/// durability does not change: a commit is durable once the log is synced (synchronous=FULL).
/// <para>
/// A passive checkpoint alone never lets the log start over under steady load: the writer appends while it copies, so the
/// log is never wholly copied when the writer begins its next transaction, and it grows by every commit into pages the
/// file never had. Each such append of a 4,120-byte frame made ext4 zero the rest of the new page-cache pages: 10.7 % of
/// the app's CPU under wrk was <c>__pi_memset</c> in <c>zero_user_segments</c> below the writer's <c>pwrite</c> ("The writer
/// and de-duplication" in the performance notes). So once the log holds <see cref="RestartFrames"/> frames and a pass has
/// copied all it saw, this asks the writer to copy the few frames appended meanwhile itself, between two commits
/// (<see cref="TakeCatchUp"/>, <c>ActivityLogWriter.CatchUpWal</c>): nothing is then left uncopied and the writer's next
/// commit starts the log over from its first frame, rewriting pages that are already in the page cache.
/// </para>
/// </summary>
internal sealed partial class WalCheckpointer : IDisposable
{
    private readonly SqliteDatabase _database;
    private readonly ILogger _logger;
    private static readonly TimeSpan Every = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Log length (frames of 4 KiB) at which the log is started over: 16 MiB, about half a second of log at 45,000 events/s,
    /// below the 64 MiB <c>journal_size_limit</c> so the file is reused, not cut and grown again.
    /// </summary>
    public const int RestartFrames = 4096;

    private readonly PeriodicThread _thread;
    private SqliteConnection? _connection;
    private int _catchUpDue;

    public WalCheckpointer(SqliteDatabase database, ILogger logger)
    {
        _database = database;
        _logger = logger;
        _thread = new PeriodicThread("NowOnline WAL checkpoint", Every, Step);
    }

    /// <summary>True once (then false until the next pass asks again) when the writer should copy the log's tail itself.</summary>
    public bool TakeCatchUp() => Interlocked.Exchange(ref _catchUpDue, 0) == 1;

    public void Start() => _thread.Start();

    /// <summary>Stops the loop and waits for a checkpoint in progress.</summary>
    public void Stop()
    {
        _thread.Stop();
        _connection?.Dispose();
        _connection = null;
    }

    public void Dispose()
    {
        Stop();
        _thread.Dispose();
    }

    private void Step()
    {
        try
        {
            _connection ??= _database.OpenAsync().GetAwaiter().GetResult();
            using var checkpoint = _connection.CreateCommand();
            checkpoint.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
            using var result = checkpoint.ExecuteReader();
            // One row: busy (0 or 1), frames in the log, frames copied.
            if (result.Read() && result.GetInt32(0) == 0 && result.GetInt64(1) >= RestartFrames) Volatile.Write(ref _catchUpDue, 1);
        }
        catch (SqliteException ex)
        {
            // The writer notices and reports storage faults; this loop only tries again with a fresh connection.
            LogCheckpointFailed(_logger, ex);
            _connection?.Dispose();
            _connection = null;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "A background WAL checkpoint failed; it is retried")]
    private static partial void LogCheckpointFailed(ILogger logger, Exception exception);
}
