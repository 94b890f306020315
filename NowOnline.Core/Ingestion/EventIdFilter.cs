using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NowOnline.Core.Ingestion;

/// <summary>
/// A compact approximate set of the event ids the log holds, in front of the writer's exact look-up (the ids logged since the
/// last checkpoint mark, then the <c>EventIds</c> index): "absent" is certain, so a new id, nearly every id, costs no B-tree
/// seek; "maybe" (a repeat, or about 1 in 250 new ids) is settled by the exact look-up. Memory is fixed by the budget
/// whatever the rate: past about 2.3 bytes per id (64 MB hold ~26 million ids) buckets overflow and answer "maybe", so
/// look-ups fall back to the index, never to a wrong answer. Before <see cref="IsLoaded"/> every answer is "maybe".
/// Together with the 64-row inserts this took the writer's append from 5.6-7.0 to 3.4-4.6 µs of CPU per event
/// ("The writer and de-duplication" in the performance notes), and it does the job of the tracker's exact window, which held only
/// ~420,000 ids in the same 64 MB.
/// <para>
/// Layout: 8 slots of 16 bits per bucket (a 12-bit fingerprint and a 4-bit generation label); an id may sit in either of
/// two buckets (the emptier is chosen, so buckets fill evenly), and a bucket whose two choices were full is marked
/// overflowed. Ids are never removed one by one: each belongs to the generation it was logged in, and a generation's
/// slots are swept (a slice at a time, <see cref="Sweep"/>) only once retention has deleted every event logged in it
/// (<see cref="ForgetBefore"/>), so the filter forgets an id only after the log has.
/// </para>
/// Not thread-safe: the writer's thread owns it.
/// </summary>
internal sealed class EventIdFilter
{
    private const int SlotsPerBucket = 8;
    private const int BytesPerBucket = SlotsPerBucket * sizeof(ushort) + 1; // + the overflow label
    private const int Labels = 15; // 4 bits, 0 = empty slot
    private const int SweepSliceBuckets = 64 * 1024;

    /// <summary>Generations of ids within the retention (15 labels: up to 13 live, one filling, one being swept).</summary>
    public const int GenerationsPerRetention = Labels - 2;

    private readonly ushort[] _slots;
    private readonly byte[] _overflow;
    private readonly uint _buckets;
    private readonly long _generationTicks;
    private readonly ulong _seed = (ulong)Random.Shared.NextInt64();
    private readonly Generation?[] _generations = new Generation?[Labels + 1];
    private Generation _current;
    private long _horizonTicks = long.MinValue;
    private int _sweeping; // label being cleared, 0 = none
    private uint _sweptTo;

    /// <param name="budgetBytes">Memory for the slots.</param>
    /// <param name="generationLength">How long a generation takes ids (a fraction of the retention: ids leave a generation at a time).</param>
    /// <param name="nowTicks">The clock now.</param>
    public EventIdFilter(long budgetBytes, TimeSpan generationLength, long nowTicks)
    {
        _buckets = (uint)Math.Clamp(budgetBytes / BytesPerBucket, 64, int.MaxValue / SlotsPerBucket);
        _slots = new ushort[_buckets * SlotsPerBucket];
        _overflow = new byte[_buckets];
        _generationTicks = Math.Max(TimeSpan.TicksPerSecond, generationLength.Ticks);
        _current = _generations[1] = new Generation(1, nowTicks);
    }

    /// <summary>Ids that fit well (buckets 90 % full) in <paramref name="budgetBytes"/>.</summary>
    public static long CapacityFor(long budgetBytes) => budgetBytes / BytesPerBucket * SlotsPerBucket * 9 / 10;

    /// <summary>True once every id of the log has been added (<see cref="EventIdFilterLoader"/>); until then all is "maybe".</summary>
    public bool IsLoaded { get; set; }

    /// <summary>Ids added and not yet swept (repeats of a fingerprint in a bucket count once each).</summary>
    public long Count { get; private set; }

    /// <summary>Buckets marked overflowed (their ids answer "maybe").</summary>
    public long Overflowed { get; private set; }

    public ulong Hash(string id)
    {
        // A seeded multiply-rotate hash over the id's UTF-16 bytes (8 at a time), finished with MurmurHash3's mixer.
        var bytes = MemoryMarshal.AsBytes(id.AsSpan());
        var h = _seed ^ ((ulong)bytes.Length * 0x9E3779B97F4A7C15UL);
        var i = 0;
        for (; i + 8 <= bytes.Length; i += 8)
            h = BitOperations.RotateLeft(h ^ (BitOperations.RotateLeft(BinaryPrimitives.ReadUInt64LittleEndian(bytes[i..]) * 0x87C37B91114253D5UL, 31) * 0x4CF5AD432745937FUL), 27) * 5 + 0x52DCE729;
        ulong tail = 0;
        for (var k = 0; i < bytes.Length; i++, k += 8) tail |= (ulong)bytes[i] << k;
        h ^= BitOperations.RotateLeft(tail * 0x87C37B91114253D5UL, 31) * 0x4CF5AD432745937FUL;
        h ^= h >> 33;
        h *= 0xFF51AFD7ED558CCDUL;
        h ^= h >> 33;
        h *= 0xC4CEB9FE1A85EC53UL;
        return h ^ (h >> 33);
    }

    /// <summary>False when the id was certainly never added (or was logged only in generations retention has deleted).</summary>
    public bool MayContain(ulong hash)
    {
        if (!IsLoaded) return true;
        var (first, second, fingerprint) = Place(hash);
        if (_overflow[first] != 0) return true;
        var wanted = Vector128.Create(fingerprint);
        return Has(first, wanted) || Has(second, wanted);
    }

    /// <summary>Adds an id logged at <paramref name="atTicks"/> (the generation that covers that time takes it).</summary>
    public void Add(ulong hash, long atTicks)
    {
        var label = GenerationFor(atTicks);
        var (first, second, fingerprint) = Place(hash);
        int freeFirst = Free(first), freeSecond = Free(second);
        if (freeFirst == 0 && freeSecond == 0)
        {
            if (_overflow[first] == 0) Overflowed++;
            // The newest label wins: it is the last to be swept, and an older generation's ids leave before it.
            if (_overflow[first] == 0 || IsOlder(_overflow[first], label)) _overflow[first] = (byte)label;
            return;
        }

        var bucket = freeFirst >= freeSecond ? first : second;
        var slots = _slots.AsSpan((int)(bucket * SlotsPerBucket), SlotsPerBucket);
        slots[slots.IndexOf((ushort)0)] = (ushort)((fingerprint << 4) | label);
        Count++;
    }

    /// <summary>
    /// Retention deleted every logged event received before <paramref name="ticks"/>: the generations that ended before it
    /// may be swept.
    /// </summary>
    public void ForgetBefore(long ticks) => _horizonTicks = Math.Max(_horizonTicks, ticks);

    /// <summary>
    /// Moves to a new generation when the current one is old enough and a label is free, and clears one slice of a generation
    /// retention has passed (at most 64 Ki buckets, about 1 MB: a fraction of a millisecond on the writer's thread).
    /// </summary>
    public void Sweep(long nowTicks)
    {
        if (_sweeping == 0) StartSweep();
        if (_sweeping != 0)
        {
            var end = (uint)Math.Min(_buckets, (long)_sweptTo + SweepSliceBuckets);
            var label = _sweeping;
            var slots = _slots.AsSpan((int)(_sweptTo * SlotsPerBucket), (int)((end - _sweptTo) * SlotsPerBucket));
            for (var i = 0; i < slots.Length; i++)
                if (slots[i] != 0 && (slots[i] & 0xF) == label)
                {
                    slots[i] = 0;
                    Count--;
                }

            for (var b = _sweptTo; b < end; b++)
                if (_overflow[b] == label)
                {
                    _overflow[b] = 0;
                    Overflowed--;
                }

            _sweptTo = end;
            if (_sweptTo == _buckets)
            {
                _generations[label] = null;
                _sweeping = 0;
            }
        }

        if (nowTicks - _current.StartTicks < _generationTicks) return;
        for (var label = 1; label <= Labels; label++)
        {
            if (_generations[label] is not null) continue;
            _current = _generations[label] = new Generation(label, nowTicks);
            return;
        }
    }

    private void StartSweep()
    {
        Generation? oldest = null;
        foreach (var generation in _generations)
            if (generation is not null && generation != _current && (oldest is null || generation.StartTicks < oldest.StartTicks))
                oldest = generation;
        if (oldest is null || oldest.EndTicks >= _horizonTicks) return;
        _sweeping = oldest.Label;
        _sweptTo = 0;
    }

    private int GenerationFor(long atTicks)
    {
        // The newest generation that started at or before the time, else the oldest one; its end moves to cover the id.
        Generation? best = null, oldest = null;
        foreach (var generation in _generations)
        {
            if (generation is null || generation.Label == _sweeping) continue;
            if (generation.StartTicks <= atTicks && (best is null || generation.StartTicks > best.StartTicks)) best = generation;
            if (oldest is null || generation.StartTicks < oldest.StartTicks) oldest = generation;
        }

        var chosen = best ?? oldest ?? _current;
        chosen.EndTicks = Math.Max(chosen.EndTicks, atTicks);
        return chosen.Label;
    }

    private bool IsOlder(int label, int than) =>
        _generations[label] is not { } a || _generations[than] is not { } b || a.StartTicks < b.StartTicks;

    private (uint First, uint Second, ushort Fingerprint) Place(ulong hash)
    {
        var first = (uint)(((hash & 0xFFFFFFFF) * _buckets) >> 32);
        var second = (uint)(((hash >> 32) * _buckets) >> 32);
        var fingerprint = (ushort)((hash * 0x9E3779B97F4A7C15UL) >> 52);
        return (first, second, fingerprint == 0 ? (ushort)1 : fingerprint);
    }

    private bool Has(uint bucket, Vector128<ushort> fingerprint)
    {
        var slots = Vector128.Create<ushort>(_slots.AsSpan((int)(bucket * SlotsPerBucket), SlotsPerBucket));
        return Vector128.EqualsAny(Vector128.ShiftRightLogical(slots, 4), fingerprint);
    }

    private int Free(uint bucket)
    {
        var slots = Vector128.Create<ushort>(_slots.AsSpan((int)(bucket * SlotsPerBucket), SlotsPerBucket));
        return BitOperations.PopCount(Vector128.Equals(slots, Vector128<ushort>.Zero).ExtractMostSignificantBits());
    }

    private sealed class Generation(int label, long startTicks)
    {
        public int Label { get; } = label;
        public long StartTicks { get; } = startTicks;
        public long EndTicks { get; set; } = startTicks;
    }
}
