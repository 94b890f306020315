using Microsoft.Data.Sqlite;
using NowOnline.Core.Ingestion;
using NowOnline.Core.Presence;

namespace NowOnline.Core.Persistence;

/// <summary>Raw SQL for the hot path: appending events and writing checkpoints, each in one transaction.</summary>
internal static class ActivityLog
{
    /// <summary>Appends events in one transaction and returns the sequence of the last one.</summary>
    public static long Append(SqliteConnection connection, IReadOnlyList<ActivityEvent> events, DateTimeOffset receivedAt)
    {
        using var transaction = connection.BeginTransaction();
        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = "INSERT INTO ActivityEvents (EventId, ReceivedAtMs, Payload) VALUES ($id, $at, $payload) RETURNING Sequence";
        var id = insert.Parameters.Add("$id", SqliteType.Text);
        var at = insert.Parameters.Add("$at", SqliteType.Integer);
        var payload = insert.Parameters.Add("$payload", SqliteType.Text);
        insert.Prepare();

        long last = 0;
        at.Value = receivedAt.ToUnixTimeMilliseconds();
        foreach (var activity in events)
        {
            id.Value = (object?)activity.EventId ?? DBNull.Value;
            payload.Value = EventJson.Serialize(activity);
            last = (long)insert.ExecuteScalar()!;
        }

        transaction.Commit();
        return last;
    }

    public static void WriteCheckpoint(SqliteConnection connection, PresenceCheckpoint checkpoint)
    {
        using var transaction = connection.BeginTransaction();
        using (var customer = Command(connection, transaction,
                   """
                   INSERT INTO Customers (Id, FirstName, LastName, Email, Company) VALUES ($id, $first, $last, $email, $company)
                   ON CONFLICT(Id) DO UPDATE SET FirstName = $first, LastName = $last, Email = $email, Company = $company
                   """))
            foreach (var c in checkpoint.Customers)
                Run(customer, ("$id", c.Id), ("$first", c.FirstName), ("$last", c.LastName), ("$email", c.Email), ("$company", c.Company));

        using (var session = Command(connection, transaction,
                   """
                   INSERT INTO Sessions (SessionId, CustomerId, StartedAtMs, LastActivityMs, LastUrl, Store, UserAgent)
                   VALUES ($sid, $cid, $start, $last, $url, $store, $ua)
                   ON CONFLICT(SessionId) DO UPDATE SET CustomerId = $cid, StartedAtMs = $start, LastActivityMs = $last,
                     LastUrl = $url, Store = $store, UserAgent = $ua
                   """))
            foreach (var s in checkpoint.Sessions)
                Run(session, ("$sid", s.SessionId), ("$cid", s.CustomerId), ("$start", s.StartedAt.ToUnixTimeMilliseconds()),
                    ("$last", s.LastActivity.ToUnixTimeMilliseconds()), ("$url", s.LastUrl), ("$store", s.Store), ("$ua", s.UserAgent));

        using (var clear = Command(connection, transaction, "DELETE FROM CartItems WHERE Owner = $owner"))
        using (var line = Command(connection, transaction,
                   "INSERT INTO CartItems (Owner, Sku, Name, Qty) VALUES ($owner, $sku, $name, $qty)"))
            foreach (var cart in checkpoint.Carts)
            {
                Run(clear, ("$owner", cart.Owner));
                foreach (var l in cart.Lines) Run(line, ("$owner", cart.Owner), ("$sku", l.Sku), ("$name", l.Name), ("$qty", l.Qty));
            }

        using (var mark = Command(connection, transaction,
                   "INSERT INTO Checkpoints (Id, Sequence) VALUES (1, $seq) ON CONFLICT(Id) DO UPDATE SET Sequence = $seq"))
            Run(mark, ("$seq", checkpoint.Sequence));

        transaction.Commit();
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    private static void Run(SqliteCommand command, params (string Name, object? Value)[] values)
    {
        command.Parameters.Clear();
        foreach (var (name, value) in values) command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        command.ExecuteNonQuery();
    }
}
