namespace NowOnline.Core.Presence;

/// <summary>Orders rows by one column; ties fall back to the row key so equal values never swap places.</summary>
public sealed class OnlineRowComparer(OnlineSortField field, bool descending) : IComparer<OnlineRow>
{
    public int Compare(OnlineRow? x, OnlineRow? y)
    {
        if (ReferenceEquals(x, y)) return 0;
        if (x is null) return -1;
        if (y is null) return 1;

        var byField = field switch
        {
            OnlineSortField.LastActivity => x.LastActivity.CompareTo(y.LastActivity),
            OnlineSortField.Id => Nullable.Compare(x.CustomerId, y.CustomerId),
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

    private static int Text(string? x, string? y) => StringComparer.OrdinalIgnoreCase.Compare(x, y);
}
