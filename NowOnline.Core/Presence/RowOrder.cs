namespace NowOnline.Core.Presence;

/// <summary>Orders rows by one column; ties fall back to the row key so equal values never swap places.</summary>
internal sealed class RowOrder(OnlineSortField sortField, bool descending) : IComparer<RowEntry>
{
    /// <summary>The opposite order: the top of a heap ordered by it is the worst row kept.</summary>
    public IComparer<RowEntry> Reversed => Comparer<RowEntry>.Create((a, b) => Compare(b, a));

    /// <summary>True when the order reads a text column (one more pointer per row than the inline values).</summary>
    public bool ReadsText => sortField is not (OnlineSortField.LastActivity or OnlineSortField.Id or OnlineSortField.Type);

    int IComparer<RowEntry>.Compare(RowEntry x, RowEntry y) => Compare(x, y);

    public int Compare(in RowEntry x, in RowEntry y)
    {
        if (ReferenceEquals(x.Slot, y.Slot)) return 0;

        // Every column is in the entry (text columns as references); only a tie reads the slot, for its key.
        var byField = sortField switch
        {
            OnlineSortField.LastActivity => x.LastActivityTicks.CompareTo(y.LastActivityTicks),
            OnlineSortField.Id => x.CustomerId.CompareTo(y.CustomerId), // visitors (no ID) are long.MinValue: first, as null
            OnlineSortField.FirstName => Text(x.Profile?.FirstName, y.Profile?.FirstName),
            OnlineSortField.LastName => Text(x.Profile?.LastName, y.Profile?.LastName),
            OnlineSortField.Email => Text(x.Profile?.Email, y.Profile?.Email),
            OnlineSortField.Company => Text(x.Profile?.Company, y.Profile?.Company),
            OnlineSortField.Type => x.Type.CompareTo(y.Type),
            OnlineSortField.LastUrl => Text(x.LastUrl, y.LastUrl),
            OnlineSortField.Store => Text(x.Store, y.Store),
            _ => 0,
        };
        if (descending) byField = -byField;
        return byField != 0 ? byField : string.CompareOrdinal(x.Slot.Key, y.Slot.Key);
    }

    private static int Text(string? x, string? y) => StringComparer.OrdinalIgnoreCase.Compare(x, y);
}
