using System.Runtime.CompilerServices;

namespace NowOnline.Core.Presence;

/// <summary>The text columns of an online row, numbered as in <see cref="RowTextIds"/>.</summary>
internal enum RowTextField
{
    SessionId,
    LastUrl,
    Store,
    FirstName,
    LastName,
    Email,
    Company,
}

/// <summary>Which of a row's text columns changed since its entry was last refreshed (a profile's four move together).</summary>
[Flags]
internal enum RowTextChanges : byte
{
    None = 0,
    SessionId = 1,
    LastUrl = 2,
    Store = 4,
    Profile = 8,
    All = SessionId | LastUrl | Store | Profile,
}

/// <summary>A row's text values as ids in the index's <see cref="TextColumn"/>s, inline in its entry; 0 is "no value".</summary>
[InlineArray(RowTexts.Count)]
internal struct RowTextIds
{
    private int _first;

    /// <summary>The id in column <paramref name="field"/> (0 to <see cref="RowTexts.Count"/> - 1, not checked: a scan reads it per row).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly int At(int field) => Unsafe.Add(ref Unsafe.AsRef(in _first), field);
}

/// <summary>
/// The online rows' text columns (see <see cref="TextColumn"/>): session IDs and emails are each row's own, the others
/// repeat across rows and are kept once. Not thread-safe: the row index touches it under the tracker's lock.
/// </summary>
internal sealed class RowTexts
{
    public const int Count = 7;

    private readonly TextColumn[] _columns =
    [
        new(shared: false, sorted: false), // SessionId: the grid does not sort by it
        new(shared: true), // LastUrl
        new(shared: true), // Store
        new(shared: true), // FirstName
        new(shared: true), // LastName
        new(shared: false), // Email
        new(shared: true), // Company
    ];

    public TextColumn this[RowTextField field] => _columns[(int)field];

    public TextColumn this[int field] => _columns[field];

    /// <summary>Points <paramref name="ids"/> at the slot's current values for the columns in <paramref name="changes"/>.</summary>
    public void Refresh(RowSlot slot, ref RowTextIds ids, RowTextChanges changes)
    {
        if ((changes & RowTextChanges.SessionId) != 0) Replace(ref ids, RowTextField.SessionId, slot.SessionId);
        if ((changes & RowTextChanges.LastUrl) != 0)
        {
            // The row keeps the column's own string, and its session takes it from the row (OnlineList): sessions on one
            // page share one URL. Without that, the columns took memory per session over 1 KB at 100,000 sessions
            // (bench/performance-notes.md, "Grid query").
            var url = (int)RowTextField.LastUrl;
            ids[url] = _columns[url].Replace(ids[url], slot.LastUrl, out var stored);
            slot.ShareLastUrl(stored);
        }
        if ((changes & RowTextChanges.Store) != 0) Replace(ref ids, RowTextField.Store, slot.Store);
        if ((changes & RowTextChanges.Profile) == 0) return;
        var profile = slot.Profile;
        Replace(ref ids, RowTextField.FirstName, profile?.FirstName);
        Replace(ref ids, RowTextField.LastName, profile?.LastName);
        Replace(ref ids, RowTextField.Email, profile?.Email);
        Replace(ref ids, RowTextField.Company, profile?.Company);
    }

    /// <summary>Lets go of a leaving row's values.</summary>
    public void Release(in RowTextIds ids)
    {
        for (var field = 0; field < Count; field++) _columns[field].Release(ids[field]);
    }

    private void Replace(ref RowTextIds ids, RowTextField field, string? value) =>
        ids[(int)field] = _columns[(int)field].Replace(ids[(int)field], value);
}
