using System.Numerics;

namespace NowOnline.Core.Presence;

/// <summary>
/// The event ids applied last, exactly (no false positives: a "seen" answer drops an event). Oldest first out: an id
/// leaves when it is older than the retention, or when the window holds <see cref="Capacity"/> ids, so its memory is
/// bounded whatever the traffic. On SQLite the writer answers repeats before it stores an event (its fingerprint filter in
/// front of the durable event-id index, ActivityLogWriter), also after a restart; this window keeps a direct
/// <see cref="PresenceTracker.Apply"/> exactly-once and, on several nodes, drops the later of two copies of one id that two
/// nodes appended at the same moment, so it needs only the last moments: 1/8 of the budget.
/// Invariants: the ring holds the ids in the order they were remembered, each id at most once; the table has one slot
/// per id in the ring, naming its place there. Not thread-safe: the tracker touches it under its lock.
/// </summary>
/// <remarks>
/// A ring of (id, time, hash) and an open-addressing table of (hash, place in the ring), not a dictionary and a queue:
/// once the window is full every insert forgets the oldest id, and a dictionary removal (its own look-up, hash and key
/// compare) was 4-14 % of the applying thread (the in-process apply figure of bench/performance-notes.md). Here the
/// oldest id's slot is found by its stored hash and place, without a string compare, and taken out by shifting its
/// probe chain back (no tombstones). A hash hit is confirmed by comparing the characters, so the window stays exact.
/// <para>
/// The ids' characters are copied into one arena of chars used as a ring (ids leave in the order they came), not kept as
/// the event's strings: each kept string lived until the window dropped it, long enough to reach the collector's oldest
/// generation and die there, and each store of it into the ring marked a card for the next young collection ("Garbage per
/// event" in bench/performance-notes.md). An id starts where the last one ended, or at the arena's start when it would not
/// fit before the end. The arena holds <see cref="CharsPerId"/> characters per place of the ring at most: when longer ids
/// fill it, the oldest ids leave sooner, so memory stays within the budget.
/// </para>
/// </remarks>
internal sealed class EventIdWindow
{
    private const int InitialRing = 1024;

    /// <summary>Arena characters per place of the ring (a 32-character hex id takes 32).</summary>
    internal const int CharsPerId = 48;

    private Entry[] _ring;
    private char[] _chars;
    private long _end; // arena position after the newest id (positions grow; an id lies at Start % arena length)
    private int _oldest; // place of the oldest id in the ring
    private Slot[] _slots; // a power of two, at least twice the ring: probe chains stay short

    public EventIdWindow(int capacity)
    {
        Capacity = capacity > 0 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity));
        _ring = new Entry[Math.Min(capacity, InitialRing)];
        _slots = new Slot[TableSize(_ring.Length)];
        _chars = new char[_ring.Length * CharsPerId];
    }

    /// <summary>Most ids held at once (from <c>Presence:EventIdMemoryBudgetMegabytes</c>).</summary>
    public int Capacity { get; }

    public int Count { get; private set; }

    public bool Contains(string id) => SlotOf(id, Hash(id)) >= 0;

    /// <summary>Adds the id; false when it is already in the window (a duplicate).</summary>
    public bool Remember(string id, long atTicks)
    {
        var hash = Hash(id);
        if (SlotOf(id, hash) >= 0) return false;
        if (Count == _ring.Length)
        {
            if (_ring.Length < Capacity) Grow();
            else ForgetOldest();
        }

        var start = MakeRoom(id.Length);
        id.CopyTo(_chars.AsSpan((int)(start % _chars.Length), id.Length));
        _end = start + id.Length;
        var place = _oldest + Count;
        if (place >= _ring.Length) place -= _ring.Length;
        _ring[place] = new Entry(start, id.Length, atTicks, hash);
        Insert(hash, place);
        Count++;
        return true;
    }

    /// <summary>
    /// Where an id of <paramref name="length"/> characters goes: after the newest one; while it does not fit, the arena grows
    /// up to <see cref="CharsPerId"/> per id of the capacity, then the oldest ids leave.
    /// </summary>
    private long MakeRoom(int length)
    {
        while (true)
        {
            if (Count == 0)
            {
                if (length > _chars.Length) ResizeArena(length); // one id longer than a whole arena (a tiny window)
                return _end = 0;
            }

            var start = _end;
            var offset = (int)(start % _chars.Length);
            if (offset + length > _chars.Length) start += _chars.Length - offset; // not across the end: from the arena's start
            if (start + length - _ring[_oldest].Start <= _chars.Length) return start;
            if (_chars.Length < (long)Capacity * CharsPerId) ResizeArena(Math.Min((long)Capacity * CharsPerId, _chars.Length * 2L));
            else ForgetOldest();
        }
    }

    /// <summary>
    /// Forgets ids remembered before <paramref name="ticks"/>, at most <paramref name="most"/> of them; true when none older
    /// is left.
    /// </summary>
    public bool ForgetBefore(long ticks, int most = int.MaxValue)
    {
        for (var n = 0; n < most; n++)
        {
            if (Count == 0 || _ring[_oldest].AtTicks >= ticks) return true;
            ForgetOldest();
        }

        return Count == 0 || _ring[_oldest].AtTicks >= ticks;
    }

    private void ForgetOldest()
    {
        var place = _oldest;
        var mask = _slots.Length - 1;
        var i = _ring[place].Hash & mask;
        while (_slots[i].PlacePlusOne != place + 1) i = (i + 1) & mask;
        RemoveSlot(i);
        _oldest = place + 1 == _ring.Length ? 0 : place + 1;
        Count--;
    }

    /// <summary>The table slot naming this id, or -1.</summary>
    private int SlotOf(string id, int hash)
    {
        var slots = _slots;
        var mask = slots.Length - 1;
        for (var i = hash & mask; ; i = (i + 1) & mask)
        {
            var slot = slots[i];
            if (slot.PlacePlusOne == 0) return -1;
            if (slot.Hash == hash && IdAt(slot.PlacePlusOne - 1).SequenceEqual(id)) return i;
        }
    }

    private ReadOnlySpan<char> IdAt(int place)
    {
        var entry = _ring[place];
        return _chars.AsSpan((int)(entry.Start % _chars.Length), entry.Length);
    }

    private void Insert(int hash, int place)
    {
        var mask = _slots.Length - 1;
        var i = hash & mask;
        while (_slots[i].PlacePlusOne != 0) i = (i + 1) & mask;
        _slots[i] = new Slot(hash, place + 1);
    }

    /// <summary>Empties slot <paramref name="hole"/>, moving back later slots of its probe chain (linear probing deletion).</summary>
    private void RemoveSlot(int hole)
    {
        var mask = _slots.Length - 1;
        for (var i = (hole + 1) & mask; _slots[i].PlacePlusOne != 0; i = (i + 1) & mask)
        {
            // A slot may fill the hole when its home is not in the cyclic range (hole, i].
            var home = _slots[i].Hash & mask;
            if (((i - home) & mask) < ((i - hole) & mask)) continue;
            _slots[hole] = _slots[i];
            hole = i;
        }

        _slots[hole] = default;
    }

    private void Grow()
    {
        var ring = new Entry[(int)Math.Min(Capacity, _ring.Length * 2L)];
        for (var n = 0; n < Count; n++) ring[n] = _ring[(_oldest + n) % _ring.Length];
        _ring = ring;
        _oldest = 0;
        _slots = new Slot[TableSize(ring.Length)];
        for (var n = 0; n < Count; n++) Insert(ring[n].Hash, n);
        if (_chars.Length < (long)ring.Length * CharsPerId) ResizeArena((long)ring.Length * CharsPerId);
    }

    /// <summary>A new arena of <paramref name="size"/> characters (at least what the ids hold), the ids copied in order from its start.</summary>
    private void ResizeArena(long size)
    {
        var chars = new char[size];
        long end = 0;
        for (var n = 0; n < Count; n++)
        {
            var place = (_oldest + n) % _ring.Length;
            var id = IdAt(place);
            id.CopyTo(chars.AsSpan((int)end));
            _ring[place] = _ring[place] with { Start = end };
            end += id.Length;
        }

        _chars = chars;
        _end = end;
    }

    private static int TableSize(int ring) => (int)Math.Min(1 << 30, BitOperations.RoundUpToPowerOf2((uint)ring) * 2);

    // Randomized per process (Marvin): ids chosen by a client cannot be aimed at one probe chain.
    private static int Hash(string id) => StringComparer.Ordinal.GetHashCode(id) & int.MaxValue;

    /// <summary>
    /// Ids that fit in the tracker's share of a budget of <paramref name="megabytes"/> (<see cref="PresenceOptions"/>): about
    /// 160 bytes each (<see cref="CharsPerId"/> characters of arena 96, its ring entry 24 and table slots 16, plus the tables'
    /// spare capacity).
    /// </summary>
    public static int CapacityFor(int megabytes) =>
        (int)Math.Min(int.MaxValue / 2, Math.Max(1, PresenceOptions.EventIdWindowBytes(megabytes) / BytesPerId));

    internal const int BytesPerId = 160;

    private readonly record struct Entry(long Start, int Length, long AtTicks, int Hash);

    private readonly record struct Slot(int Hash, int PlacePlusOne);
}
