using Microsoft.Data.Sqlite;
using NowOnline.Core.Ingestion;
using NowOnline.Core.Presence;

namespace NowOnline.Core.Persistence;

/// <summary>Raw SQL for the hot path: appending events and writing checkpoints, each in one transaction.</summary>
internal static class ActivityLog
{
    /// <summary>
    /// Appends events in one transaction. Returns each event's sequence, or 0 for an event whose id is already in the
    /// log (applied before, possibly longer ago than the in-memory window): it is stored and applied only once.
    /// </summary>
    public static long[] Append(SqliteConnection connection, IReadOnlyList<ActivityEvent> events, DateTimeOffset receivedAt)
    {
        using var transaction = WriteTransaction.Begin(connection);
        using var insert = connection.CreateCommand();
        insert.CommandText = """
            INSERT INTO ActivityEvents (EventId, SessionId, ReceivedAtMs, Payload) VALUES ($id, $session, $at, $payload)
            ON CONFLICT(EventId) DO NOTHING RETURNING Sequence
            """;
        var id = insert.Parameters.Add("$id", SqliteType.Text);
        var session = insert.Parameters.Add("$session", SqliteType.Text);
        var at = insert.Parameters.Add("$at", SqliteType.Integer);
        var payload = insert.Parameters.Add("$payload", SqliteType.Text);
        insert.Prepare();

        var sequences = new long[events.Count];
        at.Value = receivedAt.ToUnixTimeMilliseconds();
        for (var i = 0; i < events.Count; i++)
        {
            var activity = events[i];
            id.Value = (object?)activity.EventId ?? DBNull.Value;
            session.Value = activity.SessionId;
            payload.Value = EventJson.Serialize(activity);
            sequences[i] = insert.ExecuteScalar() is long sequence ? sequence : 0;
        }

        transaction.Commit();
        return sequences;
    }

    public static void WriteCheckpoint(SqliteConnection connection, PresenceCheckpoint checkpoint)
    {
        using var transaction = WriteTransaction.Begin(connection);
        using (var customer = Command(connection,
                   """
                   INSERT INTO Customers (Id, FirstName, LastName, Email, Company) VALUES ($id, $first, $last, $email, $company)
                   ON CONFLICT(Id) DO UPDATE SET FirstName = $first, LastName = $last, Email = $email, Company = $company
                   """))
            foreach (var c in checkpoint.Customers)
                Run(customer, ("$id", c.Id), ("$first", c.FirstName), ("$last", c.LastName), ("$email", c.Email), ("$company", c.Company));

        using (var session = Command(connection,
                   """
                   INSERT INTO Sessions (SessionId, CustomerId, StartedAtMs, LastActivityMs, LastUrl, Store, UserAgent)
                   VALUES ($sid, $cid, $start, $last, $url, $store, $ua)
                   ON CONFLICT(SessionId) DO UPDATE SET CustomerId = $cid, StartedAtMs = $start, LastActivityMs = $last,
                     LastUrl = $url, Store = $store, UserAgent = $ua
                   """))
            foreach (var s in checkpoint.Sessions)
                Run(session, ("$sid", s.SessionId), ("$cid", s.CustomerId), ("$start", s.StartedAt.ToUnixTimeMilliseconds()),
                    ("$last", s.LastActivity.ToUnixTimeMilliseconds()), ("$url", s.LastUrl), ("$store", s.Store), ("$ua", s.UserAgent));

        using (var clear = Command(connection, "DELETE FROM CartItems WHERE Owner = $owner"))
        using (var line = Command(connection,
                   "INSERT INTO CartItems (Owner, Sku, Name, Qty) VALUES ($owner, $sku, $name, $qty)"))
            foreach (var cart in checkpoint.Carts)
            {
                Run(clear, ("$owner", cart.Owner));
                foreach (var l in cart.Lines) Run(line, ("$owner", cart.Owner), ("$sku", l.Sku), ("$name", l.Name), ("$qty", l.Qty));
            }

        using (var mark = Command(connection,
                   "INSERT INTO Checkpoints (Id, Sequence) VALUES (1, $seq) ON CONFLICT(Id) DO UPDATE SET Sequence = $seq"))
            Run(mark, ("$seq", checkpoint.Sequence));

        transaction.Commit();
    }

    /// <summary>Rewrites the probe row in its own durable transaction: fails when the file cannot be written.</summary>
    public static void Probe(SqliteConnection connection, DateTimeOffset now)
    {
        using var transaction = WriteTransaction.Begin(connection);
        using (var probe = Command(connection,
                   "INSERT INTO StorageProbes (Id, WrittenAtMs) VALUES (1, $at) ON CONFLICT(Id) DO UPDATE SET WrittenAtMs = $at"))
            Run(probe, ("$at", now.ToUnixTimeMilliseconds()));
        transaction.Commit();
    }

    /// <summary>
    /// Deletes one batch of old sessions (and their visitor carts) and of old logged events, in one short transaction.
    /// Events after the last checkpoint are never deleted: the state tables do not reflect them yet.
    /// </summary>
    public static RetentionResult DeleteExpired(SqliteConnection connection, RetentionBatch batch)
    {
        using var transaction = WriteTransaction.Begin(connection);
        int sessions, events;
        using (var carts = Command(connection,
                   """
                   DELETE FROM CartItems WHERE Owner IN (
                     SELECT 's:' || SessionId FROM Sessions WHERE LastActivityMs < $before ORDER BY LastActivityMs LIMIT $size)
                   """))
            Run(carts, ("$before", batch.SessionsBefore.ToUnixTimeMilliseconds()), ("$size", batch.Size));
        using (var stale = Command(connection,
                   """
                   DELETE FROM Sessions WHERE SessionId IN (
                     SELECT SessionId FROM Sessions WHERE LastActivityMs < $before ORDER BY LastActivityMs LIMIT $size)
                   """))
            sessions = Run(stale, ("$before", batch.SessionsBefore.ToUnixTimeMilliseconds()), ("$size", batch.Size));
        using (var old = Command(connection,
                   """
                   DELETE FROM ActivityEvents WHERE Sequence IN (
                     SELECT Sequence FROM ActivityEvents
                     WHERE ReceivedAtMs < $before AND Sequence <= (SELECT COALESCE(MAX(Sequence), 0) FROM Checkpoints)
                     ORDER BY Sequence LIMIT $size)
                   """))
            events = Run(old, ("$before", batch.EventsBefore.ToUnixTimeMilliseconds()), ("$size", batch.Size));
        transaction.Commit();
        return new RetentionResult(sessions, events);
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }

    private static int Run(SqliteCommand command, params (string Name, object? Value)[] values)
    {
        command.Parameters.Clear();
        foreach (var (name, value) in values) command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command.ExecuteNonQuery();
    }
}
