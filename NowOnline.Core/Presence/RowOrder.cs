namespace NowOnline.Core.Presence;

/// <summary>
/// Orders rows by one column; ties fall back to the row key so equal values never swap places. Entries compare their text
/// through the index's columns (<paramref name="texts"/>), rows through their strings: both ignore case the same way
/// (<see cref="StringComparer.OrdinalIgnoreCase"/>, null first), so a page and an export list rows in the same order.
/// </summary>
internal sealed class RowOrder(OnlineSortField sortField, bool descending, RowTexts? texts = null) : IComparer<RowEntry>, IComparer<OnlineRow>
{
    private readonly int _textField = (int?)TextField(sortField) ?? -1;
    private readonly TextColumn? _column = TextField(sortField) is { } field ? texts?[field] : null;

    int IComparer<RowEntry>.Compare(RowEntry x, RowEntry y) => Compare(x, y);

    public int Compare(in RowEntry x, in RowEntry y)
    {
        if (ReferenceEquals(x.Slot, y.Slot)) return 0;

        // Every column is in the entry (text columns as ids); only a tie reads the slot, for its key.
        var byField = _column is not null ? _column.Compare(x.Text.At(_textField), y.Text.At(_textField)) : sortField switch
        {
            OnlineSortField.LastActivity => x.LastActivityTicks.CompareTo(y.LastActivityTicks),
            OnlineSortField.Id => x.CustomerId.CompareTo(y.CustomerId), // visitors (no ID) are long.MinValue: first, as null
            OnlineSortField.Type => x.Type.CompareTo(y.Type),
            _ when _textField >= 0 => throw new InvalidOperationException("Ordering entries by text needs the index's text columns."),
            _ => 0,
        };
        if (descending) byField = -byField;
        return byField != 0 ? byField : string.CompareOrdinal(x.Slot.Key, y.Slot.Key);
    }

    public int Compare(OnlineRow? x, OnlineRow? y)
    {
        if (ReferenceEquals(x, y)) return 0;
        if (x is null) return -1;
        if (y is null) return 1;
        var byField = sortField switch
        {
            OnlineSortField.LastActivity => x.LastActivity.UtcTicks.CompareTo(y.LastActivity.UtcTicks),
            OnlineSortField.Id => (x.CustomerId ?? long.MinValue).CompareTo(y.CustomerId ?? long.MinValue),
            OnlineSortField.FirstName => Text(x.FirstName, y.FirstName),
            OnlineSortField.LastName => Text(x.LastName, y.LastName),
            OnlineSortField.Email => Text(x.Email, y.Email),
            OnlineSortField.Company => Text(x.Company, y.Company),
            OnlineSortField.Type => x.Type.CompareTo(y.Type),
            OnlineSortField.LastUrl => Text(x.LastUrl, y.LastUrl),
            OnlineSortField.Store => Text(x.Store, y.Store),
            _ => 0,
        };
        if (descending) byField = -byField;
        return byField != 0 ? byField : string.CompareOrdinal(x.Key, y.Key);
    }

    private static RowTextField? TextField(OnlineSortField field) => field switch
    {
        OnlineSortField.FirstName => RowTextField.FirstName,
        OnlineSortField.LastName => RowTextField.LastName,
        OnlineSortField.Email => RowTextField.Email,
        OnlineSortField.Company => RowTextField.Company,
        OnlineSortField.LastUrl => RowTextField.LastUrl,
        OnlineSortField.Store => RowTextField.Store,
        _ => null,
    };

    private static int Text(string? x, string? y) => StringComparer.OrdinalIgnoreCase.Compare(x, y);
}
