using Microsoft.Data.Sqlite;
using NowOnline.Core.Ingestion;
using NowOnline.Core.Presence;

namespace NowOnline.Core.Persistence;

/// <summary>
/// The writer's hot SQL on its own connection: appending events and writing checkpoints, each in one transaction. The
/// statements are prepared once per connection and bound by value (<see cref="RawStatement"/>); dispose this before the
/// connection.
/// <para>
/// A commit only appends to ActivityEvents (its keys, sequence and receive time, only grow). The random-key look-ups,
/// event id (exactly-once) and session (timelines), are the EventIds and SessionEvents tables, filled in key order from
/// the log by each checkpoint, in its transaction. Until then an id is found in the set of ids logged after the last
/// checkpoint, read back from the log when the connection is opened.
/// </para>
/// </summary>
internal sealed class ActivityLogWriter : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly HashSet<string> _unfolded = new(StringComparer.Ordinal);
    private RawStatement? _insertEvent;
    private RawStatement? _findEventId;
    private RawStatement? _foldEventIds;
    private RawStatement? _foldSessionEvents;
    private RawStatement? _upsertCustomer;
    private RawStatement? _upsertSession;
    private RawStatement? _clearCart;
    private RawStatement? _insertCartLine;
    private RawStatement? _markCheckpoint;
    private long _lastAppended;

    public ActivityLogWriter(SqliteConnection connection)
    {
        _connection = connection;
        using (var pragmas = connection.CreateCommand())
        {
            // Each checkpoint touches state rows all over the Sessions and CartItems tables: keep them cached (64 MiB).
            // Copying the log into the database file is the WalCheckpointer's job, off the commit path; a log that grew
            // during a burst is cut back to 64 MiB once it has been copied.
            pragmas.CommandText = "PRAGMA cache_size=-65536; PRAGMA wal_autocheckpoint=0; PRAGMA journal_size_limit=67108864;";
            pragmas.ExecuteNonQuery();
        }

        ReadUnfolded();
    }

    private void ReadUnfolded()
    {
        _unfolded.Clear();
        using var tail = _connection.CreateCommand();
        tail.CommandText = """
            SELECT EventId FROM ActivityEvents
            WHERE Sequence > (SELECT COALESCE(MAX(Sequence), 0) FROM Checkpoints) AND EventId IS NOT NULL
            """;
        using var reader = tail.ExecuteReader();
        while (reader.Read()) _unfolded.Add(reader.GetString(0));
    }

    /// <summary>
    /// Appends events in one transaction. Returns each event's sequence, or 0 for an event whose id is already in the
    /// log (applied before, possibly longer ago than the in-memory window): it is stored and applied only once.
    /// The ids within <paramref name="events"/> must be distinct (the caller drops repeats within a group).
    /// </summary>
    public long[] Append(IReadOnlyList<StoredEvent> events, DateTimeOffset receivedAt)
    {
        using var transaction = WriteTransaction.Begin(_connection);
        var insert = _insertEvent ??= new RawStatement(_connection,
            "INSERT INTO ActivityEvents (EventId, SessionId, ReceivedAtMs, Payload) VALUES (?1, ?2, ?3, ?4)");
        var find = _findEventId ??= new RawStatement(_connection, "SELECT 1 FROM EventIds WHERE EventId = ?1");
        var sequences = new long[events.Count];
        var logged = new List<string>();
        var at = receivedAt.ToUnixTimeMilliseconds();
        for (var i = 0; i < events.Count; i++)
        {
            var stored = events[i];
            if (stored.Event.EventId is { } id)
            {
                if (_unfolded.Contains(id)) continue;
                find.Bind(1, id);
                if (find.HasRow()) continue;
                logged.Add(id);
            }

            insert.Bind(1, stored.Event.EventId);
            insert.Bind(2, stored.Event.SessionId);
            insert.Bind(3, at);
            insert.BindUtf8(4, stored.Payload.Span);
            insert.Execute();
            sequences[i] = insert.LastInsertRowId;
        }

        var last = sequences.Length == 0 ? 0 : sequences.Max();

        transaction.Commit();
        _unfolded.UnionWith(logged);
        _lastAppended = Math.Max(_lastAppended, last);
        return sequences;
    }

    /// <summary>
    /// Writes the changed state rows and the sequence they reflect, and files the events logged since the last checkpoint
    /// under their event id and session (up to the checkpoint's sequence), all or nothing.
    /// </summary>
    public void WriteCheckpoint(PresenceCheckpoint checkpoint)
    {
        var connection = _connection;
        using var transaction = WriteTransaction.Begin(connection);
        // Key order, here and for the state rows below: neighbouring keys share B-tree pages, so each page is found and
        // dirtied once per checkpoint instead of once per row.
        var foldIds = _foldEventIds ??= new RawStatement(connection, """
            INSERT OR IGNORE INTO EventIds (EventId, Sequence)
            SELECT EventId, Sequence FROM ActivityEvents
            WHERE Sequence > (SELECT COALESCE(MAX(Sequence), 0) FROM Checkpoints) AND Sequence <= ?1 AND EventId IS NOT NULL
            ORDER BY EventId
            """);
        foldIds.Bind(1, checkpoint.Sequence);
        foldIds.Execute();
        var foldSessions = _foldSessionEvents ??= new RawStatement(connection, """
            INSERT OR IGNORE INTO SessionEvents (SessionId, Sequence)
            SELECT SessionId, Sequence FROM ActivityEvents
            WHERE Sequence > (SELECT COALESCE(MAX(Sequence), 0) FROM Checkpoints) AND Sequence <= ?1 AND SessionId IS NOT NULL
            ORDER BY SessionId, Sequence
            """);
        foldSessions.Bind(1, checkpoint.Sequence);
        foldSessions.Execute();

        var customer = _upsertCustomer ??= new RawStatement(connection, """
            INSERT INTO Customers (Id, FirstName, LastName, Email, Company) VALUES (?1, ?2, ?3, ?4, ?5)
            ON CONFLICT(Id) DO UPDATE SET FirstName = ?2, LastName = ?3, Email = ?4, Company = ?5
            """);
        foreach (var c in checkpoint.Customers.OrderBy(c => c.Id))
        {
            customer.Bind(1, c.Id);
            customer.Bind(2, c.FirstName);
            customer.Bind(3, c.LastName);
            customer.Bind(4, c.Email);
            customer.Bind(5, c.Company);
            customer.Execute();
        }

        var session = _upsertSession ??= new RawStatement(connection, """
            INSERT INTO Sessions (SessionId, CustomerId, StartedAtMs, LastActivityMs, LastUrl, Store, UserAgent)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
            ON CONFLICT(SessionId) DO UPDATE SET CustomerId = ?2, StartedAtMs = ?3, LastActivityMs = ?4,
              LastUrl = ?5, Store = ?6, UserAgent = ?7
            """);
        foreach (var s in checkpoint.Sessions.OrderBy(s => s.SessionId, StringComparer.Ordinal))
        {
            session.Bind(1, s.SessionId);
            session.Bind(2, s.CustomerId);
            session.Bind(3, s.StartedAt.ToUnixTimeMilliseconds());
            session.Bind(4, s.LastActivity.ToUnixTimeMilliseconds());
            session.Bind(5, s.LastUrl);
            session.Bind(6, s.Store);
            session.Bind(7, s.UserAgent);
            session.Execute();
        }

        var clear = _clearCart ??= new RawStatement(connection, "DELETE FROM CartItems WHERE Owner = ?1");
        var line = _insertCartLine ??= new RawStatement(connection, "INSERT INTO CartItems (Owner, Sku, Name, Qty) VALUES (?1, ?2, ?3, ?4)");
        foreach (var cart in checkpoint.Carts.OrderBy(c => c.Owner, StringComparer.Ordinal))
        {
            clear.Bind(1, cart.Owner);
            clear.Execute();
            foreach (var l in cart.Lines)
            {
                line.Bind(1, cart.Owner);
                line.Bind(2, l.Sku);
                line.Bind(3, l.Name);
                line.Bind(4, l.Qty);
                line.Execute();
            }
        }

        var mark = _markCheckpoint ??= new RawStatement(connection,
            "INSERT INTO Checkpoints (Id, Sequence) VALUES (1, ?1) ON CONFLICT(Id) DO UPDATE SET Sequence = ?1");
        mark.Bind(1, checkpoint.Sequence);
        mark.Execute();
        transaction.Commit();
        if (_lastAppended <= checkpoint.Sequence) _unfolded.Clear();
        else ReadUnfolded(); // events logged but not reflected (never expected): their ids stay findable

    }

    public void Dispose()
    {
        foreach (var statement in new[] { _insertEvent, _findEventId, _foldEventIds, _foldSessionEvents, _upsertCustomer,
                     _upsertSession, _clearCart, _insertCartLine, _markCheckpoint })
            statement?.Dispose();
    }
}
