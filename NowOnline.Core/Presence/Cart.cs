namespace NowOnline.Core.Presence;

/// <summary>
/// One cart (of a customer, or of a visitor session) as the tracker keeps it: lines in a small array searched in order,
/// with an index by SKU once a cart grows past <see cref="IndexedFrom"/> lines. Only touched under the tracker's lock.
/// </summary>
/// <remarks>
/// Each line keeps its SKU's hash inline, so the search reads one contiguous array and follows a SKU string only when the
/// hash matches: comparing the strings of every line (one cache miss each) was 30 % of the apply profile at 100,000
/// sessions with carts of ~25 lines (the in-process apply figure of bench/performance-notes.md).
/// </remarks>
internal sealed class Cart(string owner)
{
    internal const int IndexedFrom = 32;

    private CartEntry[] _lines = new CartEntry[2];
    private Dictionary<string, int>? _index;

    /// <summary>The persisted owner key: <c>c:{customerId}</c> or <c>s:{sessionId}</c>.</summary>
    public string Owner { get; } = owner;

    public int Count { get; private set; }

    /// <summary>True once the cart left the tracker (merged into a customer's cart, or forgotten with its session).</summary>
    public bool Removed { get; set; }

    /// <summary>The checkpoint pass the cart is listed for, 0 when none (<see cref="CheckpointSet"/>).</summary>
    public int CheckpointEpoch { get; set; }

    /// <summary>The cart as it stood when the pass being captured began, copied before a later change reached it.</summary>
    public CartSnapshot? Captured { get; set; }

    /// <summary>The cart as it is persisted: a removed cart has no lines.</summary>
    public CartSnapshot ToSnapshot() => new(Owner, Removed ? [] : Lines.ToList());

    public IEnumerable<CartLine> Lines
    {
        get
        {
            for (var i = 0; i < Count; i++) yield return new CartLine(_lines[i].Sku, _lines[i].Name, _lines[i].Qty);
        }
    }

    /// <summary>Applies a cart event's line; a quantity at or below zero takes the line out.</summary>
    public void Apply(ActivityType type, CartLine line)
    {
        var hash = line.Sku.GetHashCode();
        var at = Find(line.Sku, hash);
        var current = at >= 0 ? _lines[at].Qty : 0;
        var qty = type switch
        {
            ActivityType.CartAdd => current + line.Qty,
            ActivityType.CartRemove => line.Qty > 0 ? current - line.Qty : 0,
            _ => line.Qty,
        };

        if (qty <= 0)
        {
            if (at >= 0) RemoveAt(at);
            return;
        }

        if (at < 0)
        {
            Add(new CartEntry(line.Sku, line.Name, qty, hash));
            return;
        }

        // In place, and the name only when it differs: storing a reference into this long-lived array costs a GC write
        // barrier, which was most of the runtime's share of the apply profile (bench/performance-notes.md).
        ref var entry = ref _lines[at];
        entry.Qty = qty;
        if (line.Name is not null && !string.Equals(entry.Name, line.Name, StringComparison.Ordinal)) entry.Name = line.Name;
    }

    private int Find(string sku, int hash)
    {
        if (_index is not null) return _index.TryGetValue(sku, out var at) ? at : -1;
        for (var i = 0; i < Count; i++)
            if (_lines[i].Hash == hash && string.Equals(_lines[i].Sku, sku, StringComparison.Ordinal)) return i;
        return -1;
    }

    private void Add(CartEntry entry)
    {
        if (Count == _lines.Length) Array.Resize(ref _lines, _lines.Length * 2);
        _lines[Count] = entry;
        _index?.Add(entry.Sku, Count);
        Count++;
        if (_index is null && Count > IndexedFrom)
        {
            _index = new Dictionary<string, int>(Count * 2, StringComparer.Ordinal);
            for (var i = 0; i < Count; i++) _index.Add(_lines[i].Sku, i);
        }
    }

    private void RemoveAt(int at)
    {
        // The last line takes the removed line's place; line order carries no meaning (readers sort by SKU).
        var last = --Count;
        _index?.Remove(_lines[at].Sku);
        if (at != last)
        {
            _lines[at] = _lines[last];
            if (_index is not null) _index[_lines[at].Sku] = at;
        }

        _lines[last] = default;
    }

    private record struct CartEntry(string Sku, string? Name, int Qty, int Hash);

    /// <summary>Reads the cart's line array, to bring it into the cache before the batch's events need it.</summary>
    public int Warm() => _lines.Length;
}
