using Microsoft.Data.Sqlite;
using NowOnline.Core.Persistence;

namespace NowOnline.Core.Ingestion;

/// <summary>
/// The writer's own connection and its prepared statements, opened on first use and dropped after a failure (the old
/// connection may hold a broken file handle or a half-open transaction), so the next write starts afresh. The event-id
/// filter and the look-up file outlive the connections: the filter is filled from the log once.
/// </summary>
internal sealed class WriterConnection(SqliteDatabase database, EventIdFilter filter, EventLookup lookup)
{
    public EventLookup Lookup => lookup;

    private SqliteConnection? _connection;
    private ActivityLogWriter? _log;

    public SqliteConnection Connection => _connection ??= database.OpenAsync().GetAwaiter().GetResult();

    public ActivityLogWriter Log => _log ??= new ActivityLogWriter(Connection, filter, lookup);

    public void Drop()
    {
        try
        {
            // Its prepared statements go first: a connection closes only once no statement is left on it.
            _log?.Dispose();
            _connection?.Dispose();
        }
        catch (SqliteException)
        {
            // Closing a connection whose file just failed must not take the writer down.
        }

        _log = null;
        _connection = null;
        SqliteConnection.ClearAllPools();
    }
}
