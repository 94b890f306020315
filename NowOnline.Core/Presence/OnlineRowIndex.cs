namespace NowOnline.Core.Presence;

/// <summary>
/// The online list's rows: by key, and as a dense array that queries scan (swap-remove keeps it dense; each slot knows its
/// position), with their text in <see cref="Text"/>'s columns. Also the rows changed since the last flush, each once.
/// Invariants: a present slot is in the dictionary and at <see cref="RowSlot.Index"/> in the array, with that entry's inline
/// values current once <see cref="MarkChanged"/> has run for its last change; each present row holds one count on each of
/// its text ids, a removed row none; a slot is listed as changed exactly while <see cref="RowSlot.Pending"/>. Not
/// thread-safe: the tracker touches it under its lock.
/// </summary>
internal sealed class OnlineRowIndex
{
    private readonly Dictionary<string, RowSlot> _byKey = new(StringComparer.Ordinal);
    private readonly List<RowSlot> _changed = [];
    private RowEntry[] _entries = new RowEntry[1024];

    public int Count { get; private set; }

    public int CustomerRows { get; private set; }

    /// <summary>The rows' text columns, which entries point into by id.</summary>
    public RowTexts Text { get; } = new();

    /// <summary>The dense array; entries at and past <see cref="Count"/> are empty.</summary>
    public RowEntry[] Entries => _entries;

    /// <summary>Rows changed (added, updated or removed) since <see cref="ClearChanges"/>, in order of first change.</summary>
    public IReadOnlyList<RowSlot> Changed => _changed;

    public bool TryGet(string key, out RowSlot slot) => _byKey.TryGetValue(key, out slot!);

    public RowSlot Add(string key, SessionType type)
    {
        var slot = new RowSlot(key, type) { Index = Count };
        _byKey.Add(key, slot);
        if (Count == _entries.Length) Array.Resize(ref _entries, _entries.Length * 2);
        _entries[Count++] = RowEntry.Of(slot, default); // text ids follow at the slot's first MarkChanged
        if (type == SessionType.Customer) CustomerRows++;
        return slot;
    }

    public void Remove(string key)
    {
        if (!_byKey.Remove(key, out var slot)) return;
        Text.Release(_entries[slot.Index].Text);
        // Swap-remove keeps the array dense: the last row takes the leaving row's place.
        var last = _entries[--Count];
        _entries[slot.Index] = last;
        last.Slot.Index = slot.Index;
        _entries[Count] = default;
        slot.Present = false;
        if (slot.Type == SessionType.Customer) CustomerRows--;
        MarkChanged(slot);
    }

    /// <summary>Refreshes the slot's inline values in the array and lists it for the next flush.</summary>
    public void MarkChanged(RowSlot slot)
    {
        if (slot.Present)
        {
            var text = _entries[slot.Index].Text;
            if (slot.TextChanges != RowTextChanges.None) Text.Refresh(slot, ref text, slot.TextChanges);
            slot.TextChanges = RowTextChanges.None;
            _entries[slot.Index] = RowEntry.Of(slot, text);
        }

        if (slot.Pending) return;
        slot.Pending = true;
        _changed.Add(slot);
    }

    public void ClearChanges()
    {
        foreach (var slot in _changed) slot.Pending = false;
        _changed.Clear();
    }
}
