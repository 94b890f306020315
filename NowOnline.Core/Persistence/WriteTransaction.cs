using Microsoft.Data.Sqlite;
using static SQLitePCL.raw;

namespace NowOnline.Core.Persistence;

/// <summary>
/// A write transaction issued as plain SQL (<c>BEGIN IMMEDIATE</c> … <c>COMMIT</c>) rather than a <see cref="SqliteTransaction"/>.
/// After an I/O error (read-only file, full disk) SQLite may already have rolled back by itself; SqliteTransaction then
/// throws "no transaction is active" from Dispose and again when its connection is closed, which would take the writer
/// down. This one rolls back only when a transaction is still open and never throws from Dispose.
/// </summary>
internal sealed class WriteTransaction : IDisposable
{
    private readonly SqliteConnection _connection;
    private bool _done;

    private WriteTransaction(SqliteConnection connection) => _connection = connection;

    /// <param name="deferred">Plain <c>BEGIN</c>: the write lock is taken by the first write, and only on the file written
    /// (a connection that reads an attached file must not lock it for writing, <see cref="EventLookup"/>).</param>
    public static WriteTransaction Begin(SqliteConnection connection, bool deferred = false)
    {
        Execute(connection, deferred ? "BEGIN" : "BEGIN IMMEDIATE");
        return new WriteTransaction(connection);
    }

    public void Commit()
    {
        Execute(_connection, "COMMIT");
        _done = true;
    }

    public void Dispose()
    {
        if (_done) return;
        _done = true;
        try
        {
            if (_connection.Handle is { } handle && sqlite3_get_autocommit(handle) == 0) Execute(_connection, "ROLLBACK");
        }
        catch (SqliteException)
        {
            // The connection is dropped after any failed write; a failed rollback leaves nothing committed.
        }
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
