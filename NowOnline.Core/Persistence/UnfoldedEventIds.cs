using Microsoft.Data.Sqlite;
using E = NowOnline.Core.Persistence.Schema.ActivityEvents;

namespace NowOnline.Core.Persistence;

/// <summary>
/// The event ids the writer logged after the last checkpoint mark (not filed under <c>EventIds</c> yet), as the 64-bit hash
/// the <see cref="Ingestion.EventIdFilter"/> already computes and the log sequence that holds the id: 16 bytes a slot in an
/// open-addressed table kept at most 3/4 full that doubles when full, 21-43 bytes per id as it grows against about 130 for
/// the set of id strings it replaced ("The writer and de-duplication" in the performance notes). It shrinks again once a
/// checkpoint leaves it at most 1/8 full: under a burst the writer's checkpoint falls behind and the set grew to 2 million
/// slots (32 MB, a heap dump at 47,000 events/s) that it kept for good. A hash hit is confirmed exactly by reading that log row's
/// event id, so two ids with the same hash never make a new event a duplicate.
/// <para>
/// Slots: sequence 0 is empty (sequences start at 1), -1 a forgotten id (probes go past it, an add may reuse it). Ids are
/// forgotten by sequence (<see cref="ForgetUpTo"/>), once a checkpoint has filed them. Not thread-safe: the writer's thread
/// owns it. Dispose before the connection.
/// </para>
/// </summary>
internal sealed class UnfoldedEventIds : IDisposable
{
    private const int MinCapacity = 1024;
    private const long Empty = 0;
    private const long Forgotten = -1;

    private readonly SqliteConnection _connection;
    private readonly Func<string, ulong> _hash;
    private RawStatement? _isLoggedAt;
    private ulong[] _hashes = new ulong[MinCapacity];
    private long[] _sequences = new long[MinCapacity];
    private int _used; // live + forgotten slots
    private long _highest;

    /// <param name="connection">The writer's connection (open), on which hits are confirmed against the log.</param>
    /// <param name="hash">The filter's hash of an id (used when the set is read back from the log).</param>
    public UnfoldedEventIds(SqliteConnection connection, Func<string, ulong> hash)
    {
        _connection = connection;
        _hash = hash;
    }

    /// <summary>Ids held.</summary>
    public int Count { get; private set; }

    /// <summary>Memory of the slots, in bytes.</summary>
    public long Bytes => _hashes.Length * (long)(sizeof(ulong) + sizeof(long));

    /// <summary>Replaces the set with every id the log holds after <paramref name="mark"/> (when the connection is opened).</summary>
    public void ReadFromLog(long mark)
    {
        Clear();
        using var tail = _connection.CreateCommand();
        tail.CommandText = $"SELECT {E.EventId}, {E.Sequence} FROM {E.Table} WHERE {E.Sequence} > $mark AND {E.EventId} IS NOT NULL";
        tail.Parameters.AddWithValue("$mark", mark);
        using var reader = tail.ExecuteReader();
        while (reader.Read()) Add(_hash(reader.GetString(0)), reader.GetInt64(1));
    }

    /// <summary>Adds the id of hash <paramref name="hash"/> logged at <paramref name="sequence"/> (the caller adds an id once).</summary>
    public void Add(ulong hash, long sequence)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sequence, 1);
        if ((_used + 1) * 4L > _hashes.Length * 3L) Resize();
        var mask = _hashes.Length - 1;
        for (var slot = (int)hash & mask; ; slot = (slot + 1) & mask)
        {
            var at = _sequences[slot];
            if (at != Empty && at != Forgotten) continue;
            if (at == Empty) _used++;
            _hashes[slot] = hash;
            _sequences[slot] = sequence;
            Count++;
            _highest = Math.Max(_highest, sequence);
            return;
        }
    }

    /// <summary>True when <paramref name="id"/> (of hash <paramref name="hash"/>) is held: each hash hit is read back from the log.</summary>
    public bool Contains(ulong hash, string id)
    {
        if (Count == 0) return false;
        var mask = _hashes.Length - 1;
        for (var slot = (int)hash & mask; ; slot = (slot + 1) & mask)
        {
            var at = _sequences[slot];
            if (at == Empty) return false;
            if (at != Forgotten && _hashes[slot] == hash && IsLoggedAt(at, id)) return true;
        }
    }

    /// <summary>Forgets every id logged at or before <paramref name="sequence"/> (filed under <c>EventIds</c> by a checkpoint).</summary>
    public void ForgetUpTo(long sequence)
    {
        if (Count == 0) return;
        if (_highest <= sequence) Clear();
        else
        {
            for (var slot = 0; slot < _sequences.Length; slot++)
            {
                var at = _sequences[slot];
                if (at is Empty or Forgotten || at > sequence) continue;
                _sequences[slot] = Forgotten;
                Count--;
            }
        }

        if (_hashes.Length > MinCapacity && Count * 8L < _hashes.Length) Resize();
    }

    private bool IsLoggedAt(long sequence, string id)
    {
        var find = _isLoggedAt ??= new RawStatement(_connection,
            $"SELECT 1 FROM {E.Table} WHERE {E.Sequence} = ?1 AND {E.EventId} = ?2");
        find.Bind(1, sequence);
        find.Bind(2, id);
        return find.HasRow();
    }

    /// <summary>
    /// Rehashes the live ids into the smallest table they fill at most half (forgotten slots are dropped): a full table
    /// doubles, one left mostly empty by a checkpoint shrinks.
    /// </summary>
    private void Resize()
    {
        var capacity = MinCapacity;
        while (capacity < (Count + 1) * 2L) capacity *= 2;
        var (hashes, sequences) = (_hashes, _sequences);
        _hashes = new ulong[capacity];
        _sequences = new long[capacity];
        _used = 0;
        Count = 0;
        for (var slot = 0; slot < sequences.Length; slot++)
            if (sequences[slot] is not (Empty or Forgotten)) Add(hashes[slot], sequences[slot]);
    }

    private void Clear()
    {
        Array.Clear(_sequences);
        _used = 0;
        Count = 0;
        _highest = 0;
    }

    public void Dispose() => _isLoggedAt?.Dispose();
}
