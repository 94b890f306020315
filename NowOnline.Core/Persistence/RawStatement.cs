using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;
using static SQLitePCL.raw;

namespace NowOnline.Core.Persistence;

/// <summary>
/// One prepared SQLite statement driven through SQLitePCL directly, for the writer's hot loops. Parameters are bound by
/// position and by value (strings as UTF-8 through one reused buffer), so a row costs no parameter objects, no name
/// look-ups and no data reader, unlike a <see cref="SqliteCommand"/>. Errors become <see cref="SqliteException"/>.
/// Must be disposed before its connection is closed.
/// </summary>
internal sealed class RawStatement : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;
    private byte[] _scratch = new byte[512];

    public RawStatement(SqliteConnection connection, string sql)
    {
        _db = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        Check(sqlite3_prepare_v2(_db, sql, out _statement));
    }

    public void Bind(int index, long value) => Check(sqlite3_bind_int64(_statement, index, value));

    public void Bind(int index, long? value) =>
        Check(value is { } v ? sqlite3_bind_int64(_statement, index, v) : sqlite3_bind_null(_statement, index));

    public void Bind(int index, string? value)
    {
        if (value is null)
        {
            Check(sqlite3_bind_null(_statement, index));
            return;
        }

        // One scratch buffer per statement, reused for every value (SQLite copies what is bound).
        var length = Encoding.UTF8.GetMaxByteCount(value.Length);
        if (_scratch.Length < length) _scratch = new byte[Math.Max(length, _scratch.Length * 2)];
        var written = Encoding.UTF8.GetBytes(value, _scratch);
        BindUtf8(index, _scratch.AsSpan(0, written));
    }

    /// <summary>Binds UTF-8 text; SQLite copies it, so the buffer may be reused at once.</summary>
    public void BindUtf8(int index, ReadOnlySpan<byte> utf8) => Check(sqlite3_bind_text(_statement, index, utf8));

    /// <summary>Runs the statement to its end and returns how many rows it inserted, updated or deleted.</summary>
    public int Execute()
    {
        try
        {
            int rc;
            while ((rc = sqlite3_step(_statement)) == SQLITE_ROW)
            {
            }

            if (rc != SQLITE_DONE) SqliteException.ThrowExceptionForRC(rc, _db);
            return sqlite3_changes(_db);
        }
        finally
        {
            sqlite3_reset(_statement);
        }
    }

    /// <summary>Runs the statement and tells whether it returned a row.</summary>
    public bool HasRow()
    {
        try
        {
            var rc = sqlite3_step(_statement);
            if (rc == SQLITE_ROW) return true;
            if (rc != SQLITE_DONE) SqliteException.ThrowExceptionForRC(rc, _db);
            return false;
        }
        finally
        {
            sqlite3_reset(_statement);
        }
    }

    /// <summary>The rowid of the last row this connection inserted.</summary>
    public long LastInsertRowId => sqlite3_last_insert_rowid(_db);

    public void Dispose() => _statement.Dispose();

    private void Check(int rc)
    {
        if (rc != SQLITE_OK) SqliteException.ThrowExceptionForRC(rc, _db);
    }
}
