using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NowOnline.Core.Presence;

/// <summary>
/// One text column of the online rows (session ID, last URL, a profile's email...), kept for scanning: each value's
/// characters sit back to back in one array, and a row holds the value's number (its id) instead of a string reference.
/// A text filter then reads the column once, sequentially, into a bit per id (<see cref="Match"/>), and the row scan tests
/// that bit: no pointer per row, no cache miss per row.
/// </summary>
/// <remarks>
/// Why: a case-insensitive "contains" over 2,000,000 strings took 150-200 ms through their references and 10-15 ms over the
/// same characters in one array (bench/performance-notes.md, "Grid query"). A <em>shared</em> column keeps each distinct
/// value once (URLs, names, companies and stores repeat across sessions), so a filter tests each value once however many
/// rows carry it; an <em>owned</em> column (session IDs, emails) gives every row its own id and skips the dictionary.
/// Invariants: id 0 is "no value"; a held id has a positive count of rows holding it and its characters at
/// <c>_spans[id]</c>; the characters of a value no row holds are dead space until the next compaction, which frees the
/// ids of a shared column's unheld values (an owned column frees an id at once); a free id's span has count 0 and start
/// -1. Not thread-safe: the tracker touches it under its lock.
/// </remarks>
internal sealed class TextColumn
{
    private const int MinCompaction = 1 << 16;

    private readonly Dictionary<string, int>? _ids;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _byText;
    private Span[] _spans = new Span[64];
    private ulong[]? _keys;
    private char[] _text = new char[1024];
    private int[] _free = new int[16];
    private int _freeCount;
    private int _used;
    private int _dead;
    private int _live;

    public TextColumn(bool shared, bool sorted = true)
    {
        _keys = sorted ? new ulong[64] : null;
        if (!shared) return;
        _ids = new Dictionary<string, int>(StringComparer.Ordinal);
        _byText = _ids.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>One more than the highest id handed out: the size of a bit set over the column's ids.</summary>
    public int IdLimit { get; private set; } = 1;

    /// <summary>Values some row holds (each distinct value once in a shared column).</summary>
    public int Live => _live;

    /// <summary>Values with an id: those held, and in a shared column those no row holds since the last compaction.</summary>
    public int Known => IdLimit - 1 - _freeCount;

    /// <summary>Characters in the text array, live and dead (for the memory figures and tests of compaction).</summary>
    public int Capacity => _text.Length;

    public ReadOnlySpan<char> Text(int id) => _text.AsSpan(_spans[id].Start, _spans[id].Length);

    /// <summary>The value behind <paramref name="id"/> (null for 0); allocates a string, for tests and diagnostics.</summary>
    public string? this[int id] => id == 0 ? null : Text(id).ToString();

    /// <summary>The id of <paramref name="value"/>, held once more (0 for null).</summary>
    public int Acquire(string? value) => Acquire(value, out _);

    /// <summary>
    /// The id of <paramref name="value"/>, held once more (0 for null), and the column's own instance of it: in a shared
    /// column the string stored with the first row that held the value, else <paramref name="value"/> itself.
    /// </summary>
    public int Acquire(string? value, out string? stored)
    {
        stored = value;
        if (value is null) return 0;
        if (_ids is null) return NewId(value);
        if (_byText.TryGetValue(value.AsSpan(), out stored, out var known))
        {
            ref var span = ref _spans[known];
            if (span.Refs++ == 0)
            {
                // A value no row held, still known until the next compaction, is held again.
                _dead -= span.Length;
                _live++;
            }

            return known;
        }

        stored = value;
        var id = NewId(value); // may compact, which forgets the values no row holds
        _ids.Add(value, id);
        return id;
    }

    /// <summary>
    /// Lets go of one hold on <paramref name="id"/>. When no row holds it, its characters count as dead space; an owned
    /// value's id is free at once, a shared value stays known until the next compaction, because the page one row just
    /// left is often the next row's (a URL freed and stored again on most events cost the apply figure about a third;
    /// bench/performance-notes.md, "Grid query").
    /// </summary>
    public void Release(int id)
    {
        if (id == 0) return;
        ref var span = ref _spans[id];
        if (--span.Refs > 0) return;
        _dead += span.Length;
        _live--;
        if (_ids is not null) return;
        span = Freed;
        Free(id);
    }

    /// <summary>Moves one hold from <paramref name="current"/> to <paramref name="value"/>.</summary>
    public int Replace(int current, string? value) => Replace(current, value, out _);

    /// <summary>Moves one hold from <paramref name="current"/> to <paramref name="value"/>, and gives the column's instance of it.</summary>
    public int Replace(int current, string? value, out string? stored)
    {
        // Acquire first: a shared value that stays the same keeps its id instead of being freed and stored again.
        var id = Acquire(value, out stored);
        Release(current);
        return id;
    }

    /// <summary>
    /// Sets the bit of every live id in [<paramref name="fromId"/>, <paramref name="toId"/>) whose text contains
    /// <paramref name="term"/>, ignoring case exactly as <see cref="string.Contains(string, StringComparison)"/> with
    /// <see cref="StringComparison.OrdinalIgnoreCase"/> does.
    /// </summary>
    /// <remarks>
    /// Ids whose texts lie back to back (as they do after a compaction, and as values arrive) are first tested as one
    /// block: when the block's text holds no match, no value in it does, and one vectorised search skipped them all. A
    /// block with a match (which may straddle two values) is tested value by value, and the next block is smaller; a block
    /// without one makes the next larger. Where matches are dense (every email contains "example"), the smallest block
    /// matches too, and the next values are tested one by one without a block test. Searching 1,000,000 session IDs for a term none holds took 7-8 ms of CPU value by
    /// value (bench/performance-notes.md, "Grid query").
    /// </remarks>
    public void Match(string term, ulong[] bits, int fromId, int toId)
    {
        var spans = _spans;
        var text = _text;
        var block = MinBlock;
        var id = Math.Max(1, fromId);
        while (id < toId)
        {
            int end;
            if (block == 0)
            {
                // Dense matches: a run of values without block tests, then blocks again.
                end = Math.Min(toId, id + DenseRun);
                block = MinBlock;
            }
            else
            {
                end = Math.Min(toId, id + block);
                if (Contiguous(id, end, out var start, out var length))
                {
                    if (!text.AsSpan(start, length).Contains(term, StringComparison.OrdinalIgnoreCase))
                    {
                        block = Math.Min(MaxBlock, block * 2);
                        id = end;
                        continue;
                    }

                    block = block == MinBlock ? 0 : Math.Max(MinBlock, block / 4);
                }
                else block = MinBlock;
            }

            for (; id < end; id++)
            {
                var span = spans[id];
                if (span.Refs > 0 && text.AsSpan(span.Start, span.Length).Contains(term, StringComparison.OrdinalIgnoreCase))
                    bits[id >> 6] |= 1UL << id;
            }
        }
    }

    private const int MinBlock = 4, MaxBlock = 512, DenseRun = 64;

    /// <summary>True when ids [<paramref name="from"/>, <paramref name="to"/>) are all live and their texts lie in id order, back to back.</summary>
    private bool Contiguous(int from, int to, out int start, out int length)
    {
        var spans = _spans;
        start = spans[from].Start;
        var next = start;
        for (var id = from; id < to; id++)
        {
            var span = spans[id];
            if (span.Refs == 0 || span.Start != next)
            {
                length = 0;
                return false;
            }

            next += span.Length;
        }

        length = next - start;
        return true;
    }

    /// <summary>Orders two ids by their text as <see cref="StringComparer.OrdinalIgnoreCase"/> orders strings; 0 (null) first.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Compare(int x, int y)
    {
        // Most pairs differ in their first nine characters: two keys decide without reading the text. A heap keeping the
        // best 550 of 400,000 emails compares every row with its worst, and spent most of its time in the text comparison
        // without them (bench/performance-notes.md, "Grid query"). Id 0 (null) has key 0, below every key but an empty
        // text's, which the text comparison then orders.
        if (_keys is { } keys)
        {
            var (kx, ky) = (keys[x], keys[y]);
            if (((kx | ky) & Inexact) == 0 && kx != ky) return kx < ky ? -1 : 1;
        }

        return CompareText(x, y);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private int CompareText(int x, int y)
    {
        if (x == y) return 0;
        if (x == 0) return -1;
        if (y == 0) return 1;
        return Text(x).CompareTo(Text(y), StringComparison.OrdinalIgnoreCase);
    }

    private const ulong Inexact = 1UL << 63;

    /// <summary>
    /// The first nine characters upper-cased, seven bits each, first character highest; a shorter text is padded with
    /// zeros, so it sorts before its extensions. Ordinal-ignore-case maps ASCII to ASCII and nothing else to ASCII, so for
    /// ASCII text unequal keys order as the texts do; equal keys, and any key marked <see cref="Inexact"/> (a character
    /// outside ASCII among the nine), leave the decision to the text.
    /// </summary>
    private static ulong SortKey(ReadOnlySpan<char> text)
    {
        var key = 0UL;
        for (var i = 0; i < 9; i++)
        {
            var c = i < text.Length ? text[i] : '\0';
            if (c >= 0x80) return Inexact;
            if (c is >= 'a' and <= 'z') c = (char)(c - 32);
            key = (key << 7) | c;
        }

        return key;
    }

    private int NewId(string value)
    {
        // The text first: a compaction it may cause frees ids, and must not see this one half made.
        var start = Append(value);
        var id = _freeCount > 0 ? _free[--_freeCount] : IdLimit++;
        if (id == _spans.Length)
        {
            Array.Resize(ref _spans, _spans.Length * 2);
            if (_keys is not null) Array.Resize(ref _keys, _spans.Length);
        }

        _spans[id] = new Span(start, value.Length, 1);
        _live++;
        if (_keys is not null) _keys[id] = SortKey(value);
        return id;
    }

    private int Append(ReadOnlySpan<char> value)
    {
        if (_used + value.Length > _text.Length)
        {
            // Compact when at least half the array is dead, else grow: each character is copied O(1) times on average.
            if (_dead >= Math.Max(MinCompaction, _used / 2)) Compact(value.Length);
            else Array.Resize(ref _text, Math.Max(_text.Length * 2, _used + value.Length));
        }

        value.CopyTo(_text.AsSpan(_used));
        var start = _used;
        _used += value.Length;
        return start;
    }

    /// <summary>
    /// Rewrites the held text in id order, which is also the order <see cref="Match"/> reads it, and frees the ids of the
    /// shared values no row holds.
    /// </summary>
    private void Compact(int room)
    {
        var live = _used - _dead;
        var text = new char[Math.Max(1024, (live + room) * 2)];
        var at = 0;
        for (var id = 1; id < IdLimit; id++)
        {
            ref var span = ref _spans[id];
            if (span.Refs == 0)
            {
                if (_ids is null || span.Start < 0) continue;
                _byText.Remove(_text.AsSpan(span.Start, span.Length));
                span = Freed;
                Free(id);
                continue;
            }

            _text.AsSpan(span.Start, span.Length).CopyTo(text.AsSpan(at));
            span.Start = at;
            at += span.Length;
        }

        _text = text;
        _used = at;
        _dead = 0;
    }

    private void Free(int id)
    {
        if (_freeCount == _free.Length) Array.Resize(ref _free, _free.Length * 2);
        _free[_freeCount++] = id;
    }

    /// <summary>The span of a free id: no holder, and no text to forget at a compaction.</summary>
    private static readonly Span Freed = new(-1, 0, 0);

    private record struct Span(int Start, int Length, int Refs);
}
