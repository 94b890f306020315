using Microsoft.Data.Sqlite;
using NowOnline.Core.Ingestion;
using NowOnline.Core.Presence;
using C = NowOnline.Core.Persistence.Schema.Customers;
using E = NowOnline.Core.Persistence.Schema.ActivityEvents;
using I = NowOnline.Core.Persistence.Schema.EventIds;
using K = NowOnline.Core.Persistence.Schema.Checkpoints;
using L = NowOnline.Core.Persistence.Schema.CartItems;
using S = NowOnline.Core.Persistence.Schema.Sessions;
using T = NowOnline.Core.Persistence.Schema.SessionEvents;

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
        tail.CommandText = $"""
            SELECT {E.EventId} FROM {E.Table}
            WHERE {E.Sequence} > (SELECT COALESCE(MAX({K.Sequence}), 0) FROM {K.Table}) AND {E.EventId} IS NOT NULL
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
            $"INSERT INTO {E.Table} ({E.EventId}, {E.SessionId}, {E.ReceivedAtMs}, {E.Payload}) VALUES (?1, ?2, ?3, ?4)");
        var find = _findEventId ??= new RawStatement(_connection, $"SELECT 1 FROM {I.Table} WHERE {I.EventId} = ?1");
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
        var foldIds = _foldEventIds ??= new RawStatement(connection, $"""
            INSERT OR IGNORE INTO {I.Table} ({I.EventId}, {I.Sequence})
            SELECT {E.EventId}, {E.Sequence} FROM {E.Table}
            WHERE {E.Sequence} > (SELECT COALESCE(MAX({K.Sequence}), 0) FROM {K.Table}) AND {E.Sequence} <= ?1 AND {E.EventId} IS NOT NULL
            ORDER BY {E.EventId}
            """);
        foldIds.Bind(1, checkpoint.Sequence);
        foldIds.Execute();
        var foldSessions = _foldSessionEvents ??= new RawStatement(connection, $"""
            INSERT OR IGNORE INTO {T.Table} ({T.SessionId}, {T.Sequence})
            SELECT {E.SessionId}, {E.Sequence} FROM {E.Table}
            WHERE {E.Sequence} > (SELECT COALESCE(MAX({K.Sequence}), 0) FROM {K.Table}) AND {E.Sequence} <= ?1 AND {E.SessionId} IS NOT NULL
            ORDER BY {E.SessionId}, {E.Sequence}
            """);
        foldSessions.Bind(1, checkpoint.Sequence);
        foldSessions.Execute();

        var customer = _upsertCustomer ??= new RawStatement(connection, $"""
            INSERT INTO {C.Table} ({C.Id}, {C.FirstName}, {C.LastName}, {C.Email}, {C.Company}) VALUES (?1, ?2, ?3, ?4, ?5)
            ON CONFLICT({C.Id}) DO UPDATE SET {C.FirstName} = ?2, {C.LastName} = ?3, {C.Email} = ?4, {C.Company} = ?5
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

        var session = _upsertSession ??= new RawStatement(connection, $"""
            INSERT INTO {S.Table} ({S.SessionId}, {S.CustomerId}, {S.StartedAtMs}, {S.LastActivityMs}, {S.LastUrl}, {S.Store}, {S.UserAgent})
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
            ON CONFLICT({S.SessionId}) DO UPDATE SET {S.CustomerId} = ?2, {S.StartedAtMs} = ?3, {S.LastActivityMs} = ?4,
              {S.LastUrl} = ?5, {S.Store} = ?6, {S.UserAgent} = ?7
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

        var clear = _clearCart ??= new RawStatement(connection, $"DELETE FROM {L.Table} WHERE {L.Owner} = ?1");
        var line = _insertCartLine ??= new RawStatement(connection,
            $"INSERT INTO {L.Table} ({L.Owner}, {L.Sku}, {L.Name}, {L.Qty}) VALUES (?1, ?2, ?3, ?4)");
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
            $"INSERT INTO {K.Table} ({K.Id}, {K.Sequence}) VALUES (1, ?1) ON CONFLICT({K.Id}) DO UPDATE SET {K.Sequence} = ?1");
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
