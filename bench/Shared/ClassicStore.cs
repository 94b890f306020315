using Microsoft.Data.Sqlite;
using NowOnline.Core.Presence;

namespace NowOnline.Bench.Shared;

/// <summary>
/// The baseline, for comparison only: the store admins' classic approach. Every event is one row
/// INSERT/UPDATE of a sessions table, each its own autocommitted transaction, and the grid reads a page
/// with a SQL query (WHERE ... ORDER BY ... LIMIT 50) plus a COUNT for the total. Same SQLite durability
/// as NowOnline (WAL, synchronous=FULL). It does less than NowOnline: no carts, no de-duplication, no change feed.
/// </summary>
public sealed class ClassicStore : IDisposable
{
    private readonly object _gate = new();
    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _signIn;
    private readonly SqliteCommand _signOut;
    private readonly SqliteCommand _touch;

    public ClassicStore(string path)
    {
        _connection = new SqliteConnection($"Data Source={path};Pooling=False");
        _connection.Open();
        Execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=5000;");
        Execute("""
            CREATE TABLE IF NOT EXISTS online_sessions (
              session_id TEXT PRIMARY KEY, customer_id INTEGER, first_name TEXT, last_name TEXT, email TEXT, company TEXT,
              last_activity INTEGER NOT NULL, type TEXT NOT NULL, last_url TEXT, store TEXT);
            CREATE INDEX IF NOT EXISTS ix_online_sessions_last_activity ON online_sessions(last_activity);
            """);
        _signIn = Prepare("""
            INSERT INTO online_sessions (session_id, customer_id, first_name, last_name, email, company, last_activity, type, last_url, store)
            VALUES ($sid, $cid, $first, $last, $email, $company, $at, 'Customer', $url, $store)
            ON CONFLICT(session_id) DO UPDATE SET customer_id = $cid, first_name = $first, last_name = $last, email = $email,
              company = $company, last_activity = max(last_activity, $at), type = 'Customer', last_url = coalesce($url, last_url),
              store = coalesce($store, store)
            """, "$sid", "$cid", "$first", "$last", "$email", "$company", "$at", "$url", "$store");
        _signOut = Prepare("""
            INSERT INTO online_sessions (session_id, last_activity, type, last_url, store) VALUES ($sid, $at, 'Visitor', $url, $store)
            ON CONFLICT(session_id) DO UPDATE SET customer_id = NULL, first_name = NULL, last_name = NULL, email = NULL, company = NULL,
              last_activity = max(last_activity, $at), type = 'Visitor', last_url = coalesce($url, last_url), store = coalesce($store, store)
            """, "$sid", "$at", "$url", "$store");
        _touch = Prepare("""
            INSERT INTO online_sessions (session_id, last_activity, type, last_url, store) VALUES ($sid, $at, 'Visitor', $url, $store)
            ON CONFLICT(session_id) DO UPDATE SET last_activity = max(last_activity, $at), last_url = coalesce($url, last_url),
              store = coalesce($store, store)
            """, "$sid", "$at", "$url", "$store");
    }

    /// <summary>One statement per event, autocommitted (one durable transaction each). Page views change nothing.</summary>
    public void Apply(ActivityEvent activity)
    {
        if (activity.Type == ActivityType.PageView) return;
        lock (_gate)
        {
            var at = activity.OccurredAt.ToUnixTimeMilliseconds();
            if (activity.Type.SignsIn() && activity.Customer is { } c)
                Run(_signIn, activity.SessionId, c.Id, c.FirstName, c.LastName, c.Email, c.Company, at, activity.Url, activity.Store);
            else if (activity.Type == ActivityType.Logout)
                Run(_signOut, activity.SessionId, at, activity.Url, activity.Store);
            else
                Run(_touch, activity.SessionId, at, activity.Url, activity.Store);
        }
    }

    /// <summary>Loads rows in one transaction (set-up for the query comparison, not measured).</summary>
    public void Seed(IEnumerable<ActivityEvent> arrivals)
    {
        lock (_gate)
        {
            using var transaction = _connection.BeginTransaction();
            _signIn.Transaction = _touch.Transaction = transaction;
            foreach (var e in arrivals)
            {
                var at = e.OccurredAt.ToUnixTimeMilliseconds();
                if (e.Customer is { } c) Run(_signIn, e.SessionId, c.Id, c.FirstName, c.LastName, c.Email, c.Company, at, e.Url, e.Store);
                else Run(_touch, e.SessionId, at, e.Url, e.Store);
            }

            transaction.Commit();
            _signIn.Transaction = _touch.Transaction = null;
        }
    }

    /// <summary>The grid read: COUNT(*) of the matching online rows, then one page ordered by <paramref name="orderBy"/>.</summary>
    public (long Total, int Rows) Query(string where, string orderBy, int skip, int take, DateTimeOffset onlineSince,
        params (string Name, object Value)[] parameters)
    {
        lock (_gate)
        {
            var filter = $"last_activity >= $since{(where.Length > 0 ? " AND " + where : "")}";
            using var count = _connection.CreateCommand();
            count.CommandText = $"SELECT COUNT(*) FROM online_sessions WHERE {filter}";
            Bind(count, onlineSince, parameters);
            var total = (long)count.ExecuteScalar()!;

            using var page = _connection.CreateCommand();
            page.CommandText = $"""
                SELECT session_id, customer_id, first_name, last_name, email, company, last_activity, type, last_url, store
                FROM online_sessions WHERE {filter} ORDER BY {orderBy}, session_id LIMIT {take} OFFSET {skip}
                """;
            Bind(page, onlineSince, parameters);
            using var reader = page.ExecuteReader();
            var rows = 0;
            var values = new object[10];
            while (reader.Read())
            {
                reader.GetValues(values);
                rows++;
            }

            return (total, rows);
        }
    }

    public long Count()
    {
        lock (_gate)
        {
            using var count = _connection.CreateCommand();
            count.CommandText = "SELECT COUNT(*) FROM online_sessions";
            return (long)count.ExecuteScalar()!;
        }
    }

    private static void Bind(SqliteCommand command, DateTimeOffset since, (string Name, object Value)[] parameters)
    {
        command.Parameters.AddWithValue("$since", since.ToUnixTimeMilliseconds());
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
    }

    private SqliteCommand Prepare(string sql, params string[] names)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in names) command.Parameters.Add(new SqliteParameter(name, null));
        command.Prepare();
        return command;
    }

    private static void Run(SqliteCommand command, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++) command.Parameters[i].Value = values[i] ?? DBNull.Value;
        command.ExecuteNonQuery();
    }

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public void Dispose()
    {
        _signIn.Dispose();
        _signOut.Dispose();
        _touch.Dispose();
        _connection.Dispose();
    }
}
