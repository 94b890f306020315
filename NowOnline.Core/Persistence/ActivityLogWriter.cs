using Microsoft.Data.Sqlite;
using NowOnline.Core.Ingestion;
using NowOnline.Core.Presence;
using C = NowOnline.Core.Persistence.Schema.Customers;
using E = NowOnline.Core.Persistence.Schema.ActivityEvents;
using I = NowOnline.Core.Persistence.Schema.EventIds;
using K = NowOnline.Core.Persistence.Schema.Checkpoints;
using L = NowOnline.Core.Persistence.Schema.CartItems;
using S = NowOnline.Core.Persistence.Schema.Sessions;

namespace NowOnline.Core.Persistence;

/// <summary>
/// The writer's hot SQL on its own connection: appending events (one transaction per commit group) and writing checkpoints
/// (in slices, one short transaction each, <see cref="ActivityLogCheckpointPass"/>). The statements are prepared once per
/// connection and bound by value (<see cref="RawStatement"/>); dispose this before the connection.
/// <para>
/// A commit only appends to ActivityEvents (its keys, sequence and receive time, only grow). The random-key look-ups,
/// event id (exactly-once) and session (timelines), live in a file of their own, filed from the log by its own thread
/// (<see cref="EventLookup"/>). Until it has filed an id, the id is found in the set of ids logged beyond its mark, read
/// back from the log when the connection is opened. Both are asked only when the <see cref="EventIdFilter"/> in front of
/// them answers "maybe": a new id, nearly every id, costs neither.
/// </para>
/// </summary>
internal sealed class ActivityLogWriter : IDisposable
{
    /// <summary>
    /// Rows per checkpoint slice (a cart counts one per line). "State checkpoint ... longest hold of the write lock" in the
    /// performance notes: a second of traffic at 50,000 events/s makes ~150,000 rows, 440-560 ms of CPU in one transaction;
    /// slices of 1,000 rows hold the lock for at most ~24 ms of CPU each (the total CPU of the checkpoint grows by about
    /// 1.9x, the price of ~160 commits instead of one).
    /// </summary>
    public const int SliceRows = 1000;

    /// <summary>
    /// Rows per INSERT statement on the append path: one prepared statement binds 64 events, so the statement's VDBE program
    /// starts, opens its cursor and finds the table's last page once per 64 rows instead of per row ("The writer and
    /// de-duplication" in the performance notes). A group's remainder goes in statements of 16, 4 and 1 rows.
    /// </summary>
    private static readonly int[] RowsPerInsert = [64, 16, 4, 1];

    private readonly SqliteConnection _connection;
    private readonly EventIdFilter _filter;
    private readonly EventLookup _lookup;
    private readonly bool _ownsLookup;
    private readonly UnfoldedEventIds _unfolded;
    private readonly RawStatement?[] _insertEvents = new RawStatement?[RowsPerInsert.Length];
    private readonly List<int> _toLog = [];
    // Per commit after the checkpoint's or the look-up's mark: its last sequence and receive time (retention spares these
    // events, so must the filter).
    private readonly Queue<(long LastSequence, long AtTicks)> _afterMark = new();
    private ulong[] _hashes = new ulong[128];
    private long _mark;
    private long _forgottenTo;
    private SqliteConnection? _lookupReader;
    private RawStatement? _findEventId;
    private RawStatement? _upsertCustomer;
    private RawStatement? _upsertSession;
    private RawStatement? _clearCart;
    private RawStatement? _insertCartLine;
    private RawStatement? _markCheckpoint;
    private readonly CheckpointSlice _slice = new();
    private RawStatement? _syncNormal;
    private RawStatement? _syncFull;

    /// <param name="connection">The writer's connection (open).</param>
    /// <param name="filter">The event-id filter, kept by the caller across connections; filled from the log here when it is
    /// not loaded yet. Without one, a small filter of this writer's own is made.</param>
    /// <param name="lookup">The look-up file, filed by its own thread. Without one (tests, tools) the writer makes its own
    /// and files it at the end of each checkpoint.</param>
    public ActivityLogWriter(SqliteConnection connection, EventIdFilter? filter = null, EventLookup? lookup = null)
    {
        _connection = connection;
        _filter = filter ?? new EventIdFilter(1024 * 1024, TimeSpan.FromHours(2), DateTimeOffset.UtcNow.UtcTicks);
        _ownsLookup = lookup is null;
        _lookup = lookup ?? new EventLookup(new SqliteDatabase(connection.ConnectionString),
            Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        _unfolded = new UnfoldedEventIds(connection, _filter.Hash);
        using (var pragmas = connection.CreateCommand())
        {
            // Each checkpoint touches state rows all over the Sessions and CartItems tables: keep them cached (16 MiB; 64 MiB
            // was 16 % of issue 14's 400 MB resident budget and filled within the soak's first million events; CPU per
            // event did not rise: bench/performance-notes.md, "Resident memory under a soak").
            // Copying the log into the database file is the WalCheckpointer's job, off the commit path; a log that grew
            // during a burst is cut back to 64 MiB once it has been copied.
            pragmas.CommandText = "PRAGMA cache_size=-16384; PRAGMA wal_autocheckpoint=0; PRAGMA journal_size_limit=67108864;";
            pragmas.ExecuteNonQuery();
        }

        ReadUnfolded();
        if (!_filter.IsLoaded) LoadFilter();
    }

    /// <summary>Adds every event id the log holds to the filter (at start: 1,000,000 ids take about a second).</summary>
    private void LoadFilter()
    {
        using var ids = _connection.CreateCommand();
        ids.CommandText = $"SELECT {E.EventId}, {E.ReceivedAtMs} FROM {E.Table} WHERE {E.EventId} IS NOT NULL";
        using var reader = ids.ExecuteReader();
        while (reader.Read())
            _filter.Add(_filter.Hash(reader.GetString(0)), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)).UtcTicks);
        _filter.IsLoaded = true;
    }

    private void ReadUnfolded()
    {
        using (var mark = _connection.CreateCommand())
        {
            mark.CommandText = $"SELECT COALESCE(MAX({K.Sequence}), 0) FROM {K.Table}";
            _mark = Convert.ToInt64(mark.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        }

        _forgottenTo = _lookup.EnsureReady();
        _unfolded.ReadFromLog(_forgottenTo);
        _afterMark.Clear();
        using var oldest = _connection.CreateCommand();
        oldest.CommandText = $"SELECT MIN({E.ReceivedAtMs}), MAX({E.Sequence}) FROM {E.Table} WHERE {E.Sequence} > $mark";
        oldest.Parameters.AddWithValue("$mark", Math.Min(_mark, _forgottenTo));
        using var row = oldest.ExecuteReader();
        if (row.Read() && !row.IsDBNull(0))
            _afterMark.Enqueue((row.GetInt64(1), DateTimeOffset.FromUnixTimeMilliseconds(row.GetInt64(0)).UtcTicks));
    }

    /// <summary>
    /// Appends events in one transaction. Returns each event's sequence, or 0 for an event whose id is already in the
    /// log (applied before, however long ago the log still holds it): it is stored and applied only once.
    /// The ids within <paramref name="events"/> must be distinct (the caller drops repeats within a group).
    /// </summary>
    public long[] Append(IReadOnlyList<StoredEvent> events, DateTimeOffset receivedAt)
    {
        var nowTicks = receivedAt.UtcTicks;
        _filter.Sweep(nowTicks);
        ForgetFiled();
        var sequences = new long[events.Count];
        if (_hashes.Length < events.Count) _hashes = new ulong[Math.Max(events.Count, _hashes.Length * 2)];
        var toLog = _toLog;
        toLog.Clear();
        using var transaction = WriteTransaction.Begin(_connection);
        for (var i = 0; i < events.Count; i++)
        {
            if (events[i].Event.EventId is { } id)
            {
                var hash = _hashes[i] = _filter.Hash(id);
                // The filter's "absent" is certain: a new id costs no look-up; "maybe" is settled exactly.
                if (_filter.MayContain(hash) && IsLogged(hash, id)) continue;
            }

            toLog.Add(i);
        }

        var at = receivedAt.ToUnixTimeMilliseconds();
        var next = 0;
        for (var size = 0; size < RowsPerInsert.Length; size++)
        {
            var rows = RowsPerInsert[size];
            while (toLog.Count - next >= rows)
            {
                var insert = _insertEvents[size] ??= new RawStatement(_connection, InsertSql(rows));
                for (var r = 0; r < rows; r++)
                {
                    var stored = events[toLog[next + r]];
                    var p = r * 4;
                    insert.Bind(p + 1, stored.Event.EventId);
                    insert.Bind(p + 2, stored.Event.SessionId);
                    insert.Bind(p + 3, at);
                    insert.BindUtf8(p + 4, stored.Payload.Span);
                }

                insert.Execute();
                // One writer, no rowid given: the rows of one statement take consecutive rowids, the last one reported.
                var last = insert.LastInsertRowId;
                for (var r = 0; r < rows; r++) sequences[toLog[next + r]] = last - rows + 1 + r;
                next += rows;
            }
        }

        transaction.Commit();
        foreach (var i in toLog)
        {
            if (events[i].Event.EventId is null) continue;
            _unfolded.Add(_hashes[i], sequences[i]);
            _filter.Add(_hashes[i], nowTicks);
        }

        if (toLog.Count > 0) _afterMark.Enqueue((sequences[toLog[^1]], nowTicks));

        return sequences;
    }

    private bool IsLogged(ulong hash, string id)
    {
        if (_unfolded.Contains(hash, id)) return true;
        var find = _findEventId ??= new RawStatement(_lookupReader ??= _lookup.OpenReader(),
            $"SELECT 1 FROM {I.Table} WHERE {I.EventId} = ?1");
        find.Bind(1, id);
        return find.HasRow();
    }

    private static string InsertSql(int rows) =>
        $"INSERT INTO {E.Table} ({E.EventId}, {E.SessionId}, {E.ReceivedAtMs}, {E.Payload}) VALUES "
        + string.Join(", ", Enumerable.Range(0, rows).Select(r => $"(?{r * 4 + 1}, ?{r * 4 + 2}, ?{r * 4 + 3}, ?{r * 4 + 4})"));

    /// <summary>
    /// Retention deleted every logged event received before <paramref name="before"/> up to the checkpoint mark: the filter
    /// may forget them, but not the events after the mark, which retention keeps however old they are.
    /// </summary>
    public void ForgetBefore(DateTimeOffset before)
    {
        // Whole milliseconds, as the log stores receive times: an event in the same millisecond as the bound is kept.
        var bound = DateTimeOffset.FromUnixTimeMilliseconds(before.ToUnixTimeMilliseconds()).UtcTicks;
        foreach (var (_, at) in _afterMark) bound = Math.Min(bound, at);
        _filter.ForgetBefore(bound);
    }

    /// <summary>Clears a slice of an expired generation of the filter and starts a new one when due (when the writer idles).</summary>
    public void SweepFilter(DateTimeOffset now) => _filter.Sweep(now.UtcTicks);

    /// <summary>
    /// Copies what is left of the write-ahead log into the database file (a passive checkpoint on the writer's connection,
    /// between two transactions: nothing is appended meanwhile, so it copies everything unless a reader still needs old
    /// frames). The next commit then starts the log over (see <see cref="WalCheckpointer"/> for why). Returns true when every
    /// frame was copied.
    /// </summary>
    public bool CatchUpWal()
    {
        var rc = SQLitePCL.raw.sqlite3_wal_checkpoint_v2(_connection.Handle, "main", SQLitePCL.raw.SQLITE_CHECKPOINT_PASSIVE,
            out var frames, out var copied);
        if (rc == SQLitePCL.raw.SQLITE_BUSY) return false; // the background pass is copying: asked again after it
        if (rc != SQLitePCL.raw.SQLITE_OK) SqliteException.ThrowExceptionForRC(rc, _connection.Handle);
        return frames == copied;
    }

    /// <summary>
    /// Writes a whole checkpoint now, slice after slice (at shutdown, on request, in tests): the changed state rows and the
    /// sequence they reflect.
    /// </summary>
    public void WriteCheckpoint(PresenceCheckpoint checkpoint) => WriteCheckpoint(CheckpointPass.Of(checkpoint));

    /// <inheritdoc cref="WriteCheckpoint(PresenceCheckpoint)"/>
    public void WriteCheckpoint(CheckpointPass rows)
    {
        var pass = BeginCheckpoint(rows);
        rows.WaitReady();
        while (!WriteSlice(pass))
        {
        }
    }

    /// <summary>Starts a checkpoint pass; write it with <see cref="WriteSlice"/> until that returns true.</summary>
    public ActivityLogCheckpointPass BeginCheckpoint(CheckpointPass rows) => new(rows);

    /// <summary>
    /// Writes the next slice of a pass in one transaction: at most about <paramref name="rows"/> state rows (a cart counts
    /// one per line), and with the last one the <c>Checkpoints</c> mark. Returns true when the pass is complete. While the
    /// pass's rows are still being put in order (<see cref="CheckpointPass.Ready"/>) it writes nothing and returns false.
    /// After an exception the pass must be abandoned (its rows go back to the tracker); what earlier slices wrote stays
    /// correct, each row carrying the sequence it reflects.
    /// </summary>
    public bool WriteSlice(ActivityLogCheckpointPass pass, int rows = SliceRows)
    {
        if (!pass.Rows.Ready) return false;
        // A slice is committed without its own fsync (synchronous=NORMAL for its transaction alone; SQLite allows the
        // change only between transactions). Nothing acknowledged depends on it: the state rows are a cache of the log, a
        // slice lost to a power cut is a pass cut short, which the replay at start handles (RestoredRows), and the next
        // event commit (synchronous=FULL) syncs the log with the slice's frames before it, so whatever acts on the
        // slice's mark (retention) is durable only after it. In the checkpoint scenario a slice whose sync waited on the
        // disk held the write lock 65 ms for 14.5 ms of CPU (bench/performance-notes.md, "Lazy capture").
        (_syncNormal ??= new RawStatement(_connection, "PRAGMA synchronous=NORMAL")).Execute();
        try
        {
            return WriteSliceRows(pass, rows);
        }
        finally
        {
            // Back to FULL before any event is committed; if even this fails, the caller drops the connection.
            (_syncFull ??= new RawStatement(_connection, "PRAGMA synchronous=FULL")).Execute();
        }
    }

    private bool WriteSliceRows(ActivityLogCheckpointPass pass, int rows)
    {
        var connection = _connection;
        var sequence = pass.Sequence;
        var slice = _slice;
        slice.Clear();
        // Copied under the tracker's lock (a slice's worth), written after it is released.
        pass.Rows.CaptureNext(rows, slice);
        using var transaction = WriteTransaction.Begin(connection);
        var written = 0L;

        if (slice.Carts.Count > 0)
        {
            var clear = _clearCart ??= new RawStatement(connection, $"DELETE FROM {L.Table} WHERE {L.Owner} = ?1");
            var line = _insertCartLine ??= new RawStatement(connection,
                $"INSERT INTO {L.Table} ({L.Owner}, {L.Sku}, {L.Name}, {L.Qty}, {L.AppliedSequence}) VALUES (?1, ?2, ?3, ?4, ?5)");
            foreach (var cart in slice.Carts)
            {
                clear.Bind(1, cart.Owner);
                clear.Execute();
                foreach (var l in cart.Lines)
                {
                    line.Bind(1, cart.Owner);
                    line.Bind(2, l.Sku);
                    line.Bind(3, l.Name);
                    line.Bind(4, l.Qty);
                    line.Bind(5, sequence);
                    line.Execute();
                }

                written += 1 + cart.Lines.Count;
            }
        }

        if (slice.Customers.Count > 0)
        {
            var customer = _upsertCustomer ??= new RawStatement(connection, $"""
                INSERT INTO {C.Table} ({C.Id}, {C.FirstName}, {C.LastName}, {C.Email}, {C.Company}, {C.AppliedSequence})
                VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                ON CONFLICT({C.Id}) DO UPDATE SET {C.FirstName} = ?2, {C.LastName} = ?3, {C.Email} = ?4, {C.Company} = ?5,
                  {C.AppliedSequence} = ?6
                """);
            foreach (var c in slice.Customers)
            {
                customer.Bind(1, c.Id);
                customer.Bind(2, c.FirstName);
                customer.Bind(3, c.LastName);
                customer.Bind(4, c.Email);
                customer.Bind(5, c.Company);
                customer.Bind(6, sequence);
                customer.Execute();
            }

            written += slice.Customers.Count;
        }

        if (slice.Sessions.Count > 0)
        {
            var session = _upsertSession ??= new RawStatement(connection, $"""
                INSERT INTO {S.Table} ({S.SessionId}, {S.CustomerId}, {S.StartedAtMs}, {S.LastActivityMs}, {S.LastUrl}, {S.Store},
                  {S.UserAgent}, {S.AppliedSequence})
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
                ON CONFLICT({S.SessionId}) DO UPDATE SET {S.CustomerId} = ?2, {S.StartedAtMs} = ?3, {S.LastActivityMs} = ?4,
                  {S.LastUrl} = ?5, {S.Store} = ?6, {S.UserAgent} = ?7, {S.AppliedSequence} = ?8
                """);
            foreach (var s in slice.Sessions)
            {
                session.Bind(1, s.SessionId);
                session.Bind(2, s.CustomerId);
                session.Bind(3, s.StartedAt.ToUnixTimeMilliseconds());
                session.Bind(4, s.LastActivity.ToUnixTimeMilliseconds());
                session.Bind(5, s.LastUrl);
                session.Bind(6, s.Store);
                session.Bind(7, s.UserAgent);
                session.Bind(8, sequence);
                session.Execute();
            }

            written += slice.Sessions.Count;
        }

        var done = pass.Rows.Captured;
        if (done)
        {
            var mark = _markCheckpoint ??= new RawStatement(connection,
                $"INSERT INTO {K.Table} ({K.Id}, {K.Sequence}) VALUES (1, ?1) ON CONFLICT({K.Id}) DO UPDATE SET {K.Sequence} = ?1");
            mark.Bind(1, sequence);
            mark.Execute();
        }

        transaction.Commit();
        slice.Clear();
        pass.Slices++;
        pass.RowsWritten += written;
        if (!done) return false;

        pass.Done = true;
        _mark = Math.Max(_mark, sequence);
        if (_ownsLookup) _lookup.FoldToHead();

        ForgetFiled();
        return true;
    }

    /// <summary>Every event at or below this sequence is filed in the look-up file (retention deletes no event beyond it).</summary>
    public long FoldedTo => _lookup.FoldedTo;

    /// <summary>
    /// Ids the look-up file has filed are found there: the set keeps only those logged beyond its mark. Commits are
    /// forgotten by the filter's retention only once both the checkpoint and the look-up file are past them.
    /// </summary>
    private void ForgetFiled()
    {
        var filed = _lookup.FoldedTo;
        if (filed > _forgottenTo)
        {
            _unfolded.ForgetUpTo(filed);
            _forgottenTo = filed;
        }

        var settled = Math.Min(_mark, _forgottenTo);
        while (_afterMark.TryPeek(out var commit) && commit.LastSequence <= settled) _afterMark.Dequeue();
    }

    public void Dispose()
    {
        foreach (var statement in _insertEvents) statement?.Dispose();
        _unfolded.Dispose();
        foreach (var statement in new[] { _findEventId, _upsertCustomer, _upsertSession, _clearCart, _insertCartLine, _markCheckpoint, _syncNormal, _syncFull })
            statement?.Dispose();
        _lookupReader?.Dispose();
        if (_ownsLookup) _lookup.Dispose();
    }
}
