using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NowOnline.Core.Presence;

/// <summary>
/// A <see cref="RowFilter"/> prepared against one <see cref="OnlineRowIndex"/> for one query: each text term is tested
/// once per value of its column (<see cref="TextColumn.Match"/>) into a bit per id, so testing a row reads only its entry.
/// Accepts exactly the rows <see cref="RowFilter.Matches(OnlineRow)"/> accepts. Valid while the index does not change
/// (the tracker holds its lock for the whole query); returns its bit sets to the pool when disposed.
/// </summary>
internal sealed class EntryFilter : IDisposable
{
    /// <summary>Ids per unit of work when a column's matching is split over the cores (a multiple of 64: whole words).</summary>
    private const int MatchChunk = 1 << 16;

    // The value tests as plain numbers: a scan runs them on every row.
    private readonly int _type;
    private readonly long _activityFrom, _activityTo;
    private readonly bool _byId;
    private readonly long _idFrom, _idTo;
    private readonly ulong[]?[] _required = new ulong[]?[RowTexts.Count];
    private readonly ulong[]?[] _search = new ulong[]?[RowTexts.Count];

    // The bit sets in use, packed: a row's test loops over the filters set, not over every column, and a column in which
    // nothing contains the search term is left out of the search.
    private readonly FieldBits[] _requiredFields;
    private readonly FieldBits[] _searchFields;
    private readonly bool _searching;
    private readonly long _searchId;

    public EntryFilter(RowFilter filter, RowTexts texts)
    {
        _type = filter.Type is { } type ? (int)type : -1;
        (_activityFrom, _activityTo) = (filter.ActivityFromTicks, filter.ActivityToTicks);
        // An ID bound leaves visitors out (they have no ID), as the row test does with its null.
        _byId = filter.IdFrom is not null || filter.IdTo is not null;
        (_idFrom, _idTo) = (filter.IdFrom ?? long.MinValue, filter.IdTo ?? long.MaxValue);
        var work = new List<(TextColumn Column, string Term, ulong[] Bits, int From, int To)>();
        for (var field = 0; field < RowTexts.Count; field++)
        {
            if (filter.Term((RowTextField)field) is { } term) _required[field] = Plan(texts[field], term, work);
            if (filter.Search is { } search) _search[field] = Plan(texts[field], search, work);
        }

        _searching = filter.Search is not null;
        _searchId = filter.SearchId ?? long.MinValue; // long.MinValue is no customer's ID: it marks visitors
        if (work.Count == 1) work[0].Column.Match(work[0].Term, work[0].Bits, work[0].From, work[0].To);
        else if (work.Count > 1) Parallel.ForEach(work, w => w.Column.Match(w.Term, w.Bits, w.From, w.To));
        _requiredFields = Packed(_required, dropEmpty: false);
        _searchFields = Packed(_search, dropEmpty: true);
    }

    public bool Matches(in RowEntry row)
    {
        var ticks = row.LastActivityTicks;
        if ((_type >= 0 && (int)row.Type != _type) || ticks < _activityFrom || ticks > _activityTo) return false;
        if (_byId && (row.CustomerId == long.MinValue || row.CustomerId < _idFrom || row.CustomerId > _idTo)) return false;
        ref readonly var text = ref row.Text;
        foreach (var required in _requiredFields)
            if (!Has(required.Bits, text.At(required.Field))) return false;
        if (!_searching) return true;
        foreach (var search in _searchFields)
            if (Has(search.Bits, text.At(search.Field))) return true;
        return _searchId != long.MinValue && row.CustomerId == _searchId;
    }

    public void Dispose()
    {
        for (var field = 0; field < RowTexts.Count; field++)
        {
            if (_required[field] is { } required) ArrayPool<ulong>.Shared.Return(required);
            if (_search[field] is { } search) ArrayPool<ulong>.Shared.Return(search);
            _required[field] = _search[field] = null;
        }
    }

    private static FieldBits[] Packed(ulong[]?[] byField, bool dropEmpty)
    {
        var packed = new List<FieldBits>(RowTexts.Count);
        for (var field = 0; field < RowTexts.Count; field++)
            if (byField[field] is { } bits && !(dropEmpty && bits.AsSpan().IndexOfAnyExcept(0UL) < 0)) packed.Add(new FieldBits(field, bits));
        return packed.ToArray();
    }

    // Every id in an entry is below its column's IdLimit, which sized the bit set: no bounds check on the hot path.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Has(ulong[] bits, int id) =>
        (Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(bits), id >> 6) & (1UL << id)) != 0;

    private static ulong[] Plan(TextColumn column, string term, List<(TextColumn, string, ulong[], int, int)> work)
    {
        var limit = column.IdLimit;
        var bits = ArrayPool<ulong>.Shared.Rent((limit + 63) >> 6);
        Array.Clear(bits);
        for (var from = 0; from < limit; from += MatchChunk) work.Add((column, term, bits, from, Math.Min(limit, from + MatchChunk)));
        return bits;
    }

    private readonly record struct FieldBits(int Field, ulong[] Bits);
}
