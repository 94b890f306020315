using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using E = NowOnline.Core.Persistence.Schema.ActivityEvents;
using I = NowOnline.Core.Persistence.Schema.EventIds;
using T = NowOnline.Core.Persistence.Schema.SessionEvents;

namespace NowOnline.Core.Persistence;

/// <summary>
/// The log's two random-key look-ups, event id → sequence (exactly-once beyond the tracker's window) and session →
/// sequences (timelines), kept in a SQLite file of their own beside the log (<c>&lt;log file&gt;-lookup</c>) and filed from the
/// log by a thread of their own (ADR-009). SQLite locks a whole file: filed in the log's file they held the writer's lock.
/// Filing a key costs a B-tree page written per key once the table is larger than what one transaction files, so on the
/// writer's lock, in chunks small enough to keep its pauses short, it was most of the checkpoint's cost: without it the
/// app took 82,000-90,000 events/s against 57,000-65,000, wrote 2.0 KB to disk per event against 4.4 KB, and a slice
/// filing 4,000 events held the lock 118 ms ("The look-up file" in the performance notes). Here each pass files everything
/// the log holds beyond the mark, up to <see cref="ChunkEvents"/>, in one transaction that touches each page once, while the
/// writer keeps committing.
/// <para>
/// It is a cache of the log, never its only copy: the <c>Folded</c> row names the sequence filed up to and the log row at
/// that sequence (its receive time and event id); a file whose row the log does not hold belongs to another log (restored,
/// replaced) and is filed again from the start. The writer keeps the ids it logged beyond the mark
/// (<see cref="UnfoldedEventIds"/>) and forgets them once <see cref="FoldedTo"/> passes them. Rows whose events retention
/// deleted from the log are trimmed by the same thread. <c>synchronous=NORMAL</c>: a transaction lost to power loss is
/// filed again from the log.
/// </para>
/// </summary>
internal sealed partial class EventLookup : IDisposable
{
    /// <summary>The look-up file's name: the log's file name and this suffix.</summary>
    public const string FileSuffix = "-lookup";

    /// <summary>Most events filed in one transaction (about a second of the file's lock at most).</summary>
    public const int ChunkEvents = 200_000;

    /// <summary>Most look-up rows of deleted events trimmed in one transaction.</summary>
    public const int TrimRows = 20_000;

    /// <summary>How often the thread files: about a second of log per transaction (a chunk of 16,000 events, every 250 ms, wrote
    /// more per event than a second's: the fewer transactions, the fewer times each page is written).</summary>
    private static readonly TimeSpan Every = TimeSpan.FromSeconds(1);

    private readonly SqliteDatabase _log;
    private readonly ILogger _logger;
    private readonly object _gate = new();
    private readonly PeriodicThread _thread;
    private SqliteConnection? _connection;
    private long _foldedTo = -1;

    public EventLookup(SqliteDatabase log, ILogger logger)
    {
        _log = log;
        _logger = logger;
        _thread = new PeriodicThread("NowOnline look-up", Every, Step);
    }

    /// <summary>The look-up file of <paramref name="log"/>.</summary>
    public static string PathOf(SqliteDatabase log) => log.FilePath + FileSuffix;

    /// <summary>A connection string for the look-up file (same options as the log's).</summary>
    public static string ConnectionStringOf(SqliteDatabase log) =>
        new SqliteConnectionStringBuilder(log.ConnectionString) { DataSource = PathOf(log) }.ToString();

    /// <summary>Every event at or below this sequence is filed here (-1 until <see cref="EnsureReady"/> ran).</summary>
    public long FoldedTo => Volatile.Read(ref _foldedTo);

    /// <summary>Opens a connection to this look-up file for reading (the writer's id check).</summary>
    public SqliteConnection OpenReader() => OpenReader(_log);

    /// <summary>Opens a connection to the look-up file of <paramref name="log"/> for reading (the writer's id check, timelines).</summary>
    public static SqliteConnection OpenReader(SqliteDatabase log)
    {
        var connection = new SqliteConnection(ConnectionStringOf(log));
        try
        {
            connection.Open();
            using var pragmas = connection.CreateCommand();
            pragmas.CommandText = "PRAGMA busy_timeout=3000;";
            pragmas.ExecuteNonQuery();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Opens the file, makes its tables, files it again from the start when it does not belong to this log, and files
    /// what the log holds beyond its mark. Returns <see cref="FoldedTo"/>. Safe to call from any thread, any number of times.
    /// </summary>
    public long EnsureReady()
    {
        lock (_gate)
        {
            if (_connection is not null) return FoldedTo;
            var connection = Open();
            try
            {
                if (!BelongsToLog(connection)) Clear(connection);
                Volatile.Write(ref _foldedTo, ReadMark(connection));
                _connection = connection;
            }
            catch
            {
                connection.Dispose();
                throw;
            }

            FoldToHead();
            return FoldedTo;
        }
    }

    /// <summary>
    /// Files the next chunk of the log beyond the mark and trims rows of events retention deleted, each in one transaction.
    /// Returns how many sequences were filed.
    /// </summary>
    public int FoldStep()
    {
        lock (_gate)
        {
            if (_connection is null)
            {
                EnsureReady();
                return 0;
            }

            var connection = _connection;
            try
            {
                var filed = Fold(connection);
                Trim(connection);
                return filed;
            }
            catch
            {
                // A broken handle or half-open transaction: the next step opens the file afresh and reads the mark back.
                _connection = null;
                connection.Dispose();
                throw;
            }
        }
    }

    /// <summary>Files the log up to its head now, chunk after chunk.</summary>
    public void FoldToHead()
    {
        while (FoldStep() == ChunkEvents)
        {
        }
    }

    public void Start() => _thread.Start();

    public void Dispose()
    {
        _thread.Dispose();
        lock (_gate)
        {
            _connection?.Dispose();
            _connection = null;
        }
    }

    private void Step()
    {
        try
        {
            // A full chunk means the log is ahead by more: go on at once.
            while (FoldStep() == ChunkEvents && !_thread.Stopping)
            {
            }
        }
        catch (Exception ex) when (ex is SqliteException or IOException or InvalidOperationException)
        {
            // The log's writer notices and reports storage faults; the ids stay in its set until filed here.
            LogFoldFailed(_logger, ex);
        }
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(ConnectionStringOf(_log));
        try
        {
            connection.Open();
            Execute(connection, $"""
                PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=3000; PRAGMA cache_size=-8192;
                ATTACH DATABASE $log AS log;
                CREATE TABLE IF NOT EXISTS {I.Table} ({I.EventId} TEXT NOT NULL PRIMARY KEY, {I.Sequence} INTEGER NOT NULL) WITHOUT ROWID;
                CREATE INDEX IF NOT EXISTS {I.Table}By{I.Sequence} ON {I.Table} ({I.Sequence});
                CREATE TABLE IF NOT EXISTS {T.Table} ({T.SessionId} TEXT NOT NULL, {T.Sequence} INTEGER NOT NULL,
                  PRIMARY KEY ({T.SessionId}, {T.Sequence})) WITHOUT ROWID;
                CREATE INDEX IF NOT EXISTS {T.Table}By{T.Sequence} ON {T.Table} ({T.Sequence});
                CREATE TABLE IF NOT EXISTS Folded (Id INTEGER PRIMARY KEY CHECK (Id = 1), Sequence INTEGER NOT NULL,
                  AtSequence INTEGER, AtReceivedAtMs INTEGER, AtEventId TEXT);
                INSERT OR IGNORE INTO Folded (Id, Sequence) VALUES (1, 0);
                PRAGMA temp_store=MEMORY;
                CREATE TEMP TABLE IF NOT EXISTS Chunk (Sequence INTEGER PRIMARY KEY, EventId TEXT, SessionId TEXT, ReceivedAtMs INTEGER);
                """, ("$log", Path.GetFullPath(_log.FilePath)));
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>True when the log holds the row the mark was filed up to (or nothing was filed yet).</summary>
    private static bool BelongsToLog(SqliteConnection connection)
    {
        using var check = connection.CreateCommand();
        check.CommandText = $"""
            SELECT f.Sequence = 0 OR EXISTS (
              SELECT 1 FROM log.{E.Table} e
              WHERE e.{E.Sequence} = f.AtSequence AND e.{E.ReceivedAtMs} = f.AtReceivedAtMs AND e.{E.EventId} IS f.AtEventId)
            FROM Folded f
            """;
        return Convert.ToInt64(check.ExecuteScalar(), CultureInfo.InvariantCulture) == 1;
    }

    private void Clear(SqliteConnection connection)
    {
        LogRefiling(_logger, PathOf(_log));
        Execute(connection, $"""
            BEGIN;
            DELETE FROM {I.Table}; DELETE FROM {T.Table};
            UPDATE Folded SET Sequence = 0, AtSequence = NULL, AtReceivedAtMs = NULL, AtEventId = NULL;
            COMMIT;
            """);
    }

    private static long ReadMark(SqliteConnection connection)
    {
        using var mark = connection.CreateCommand();
        mark.CommandText = "SELECT Sequence FROM Folded";
        return Convert.ToInt64(mark.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private int Fold(SqliteConnection connection)
    {
        var from = FoldedTo;
        // First the chunk is copied out of the log in one statement (autocommit): a read snapshot of the log held for the
        // whole filing would keep the log's WAL from starting over (WalCheckpointer), and the writer's appends would then
        // grow it into new file pages.
        using var head = connection.CreateCommand();
        head.CommandText = $"SELECT COALESCE(MAX({E.Sequence}), 0) FROM log.{E.Table}";
        var to = Math.Min(Convert.ToInt64(head.ExecuteScalar(), CultureInfo.InvariantCulture), from + ChunkEvents);
        if (to <= from) return 0;
        Execute(connection, $"""
            DELETE FROM temp.Chunk;
            INSERT INTO temp.Chunk (Sequence, EventId, SessionId, ReceivedAtMs)
            SELECT {E.Sequence}, {E.EventId}, {E.SessionId}, {E.ReceivedAtMs} FROM log.{E.Table}
            WHERE {E.Sequence} > $from AND {E.Sequence} <= $to;
            """, ("$from", from), ("$to", to));

        // A deferred transaction on this file alone. Key order: neighbouring keys share B-tree pages, each found and
        // written once per transaction.
        try
        {
            using var transaction = WriteTransaction.Begin(connection, deferred: true);
            Execute(connection, $"""
                INSERT OR IGNORE INTO {I.Table} ({I.EventId}, {I.Sequence})
                SELECT EventId, Sequence FROM temp.Chunk WHERE EventId IS NOT NULL ORDER BY EventId;
                INSERT OR IGNORE INTO {T.Table} ({T.SessionId}, {T.Sequence})
                SELECT SessionId, Sequence FROM temp.Chunk WHERE SessionId IS NOT NULL ORDER BY SessionId, Sequence;
                UPDATE Folded SET (AtSequence, AtReceivedAtMs, AtEventId) = (
                  SELECT Sequence, ReceivedAtMs, EventId FROM temp.Chunk ORDER BY Sequence DESC LIMIT 1)
                WHERE EXISTS (SELECT 1 FROM temp.Chunk);
                UPDATE Folded SET Sequence = $to;
                """, ("$to", to));
            transaction.Commit();
            Volatile.Write(ref _foldedTo, to);
            return (int)(to - from);
        }
        finally
        {
            Execute(connection, "DELETE FROM temp.Chunk");
        }
    }

    /// <summary>Deletes look-up rows of events the log no longer holds (retention deleted them), a batch at a time.</summary>
    private static void Trim(SqliteConnection connection)
    {
        using var transaction = WriteTransaction.Begin(connection, deferred: true);
        // Retention deletes the oldest events first: everything below the log's first sequence is gone from it.
        using var first = connection.CreateCommand();
        first.CommandText = $"""
            SELECT COALESCE((SELECT MIN({E.Sequence}) FROM log.{E.Table}), (SELECT Sequence + 1 FROM Folded)),
              (SELECT MIN({I.Sequence}) FROM {I.Table}), (SELECT MIN({T.Sequence}) FROM {T.Table})
            """;
        long kept, ids, sessions;
        using (var row = first.ExecuteReader())
        {
            row.Read();
            kept = row.GetInt64(0);
            ids = row.IsDBNull(1) ? long.MaxValue : row.GetInt64(1);
            sessions = row.IsDBNull(2) ? long.MaxValue : row.GetInt64(2);
        }

        if (ids < kept)
            Execute(connection, $"""
                DELETE FROM {I.Table} WHERE {I.Sequence} < MIN($kept,
                  COALESCE((SELECT {I.Sequence} FROM {I.Table} ORDER BY {I.Sequence} LIMIT 1 OFFSET {TrimRows}), $kept))
                """, ("$kept", kept));
        if (sessions < kept)
            Execute(connection, $"""
                DELETE FROM {T.Table} WHERE {T.Sequence} < MIN($kept,
                  COALESCE((SELECT {T.Sequence} FROM {T.Table} ORDER BY {T.Sequence} LIMIT 1 OFFSET {TrimRows}), $kept))
                """, ("$kept", kept));
        transaction.Commit();
    }

    private static void Execute(SqliteConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        command.ExecuteNonQuery();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Filing the event log's look-ups failed; it is retried")]
    private static partial void LogFoldFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "The look-up file {Path} does not match the event log; it is filed again from the log")]
    private static partial void LogRefiling(ILogger logger, string path);
}
