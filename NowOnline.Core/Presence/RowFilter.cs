using System.Globalization;

namespace NowOnline.Core.Presence;

/// <summary>
/// An <see cref="OnlineQuery"/>'s filters, prepared once per query (times as ticks, the search term trimmed and parsed)
/// so testing a row allocates nothing. Text filters are case-insensitive "contains".
/// </summary>
internal readonly struct RowFilter
{
    private readonly SessionType? _type;
    private readonly long? _idFrom, _idTo;
    private readonly string? _firstName, _lastName, _email, _company, _lastUrl, _store, _search;
    private readonly long _activityFrom, _activityTo;
    private readonly long? _searchId;

    public RowFilter(OnlineQuery query)
    {
        _type = query.Type;
        _idFrom = query.IdFrom;
        _idTo = query.IdTo;
        _firstName = NullIfEmpty(query.FirstName);
        _lastName = NullIfEmpty(query.LastName);
        _email = NullIfEmpty(query.Email);
        _company = NullIfEmpty(query.Company);
        _lastUrl = NullIfEmpty(query.LastUrl);
        _store = NullIfEmpty(query.Store);
        _activityFrom = query.ActivityFrom?.UtcTicks ?? long.MinValue;
        _activityTo = query.ActivityTo?.UtcTicks ?? long.MaxValue;
        _search = string.IsNullOrWhiteSpace(query.Search) ? null : query.Search.Trim();
        // The search also finds a customer by ID, written exactly as the grid shows it.
        _searchId = _search is not null && IsCanonicalInteger(_search)
                    && long.TryParse(_search, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var id) ? id : null;
    }

    /// <summary>The trimmed search term, or null.</summary>
    public string? Search => _search;

    /// <summary>The customer ID the search names, when it is written as one.</summary>
    public long? SearchId => _searchId;

    /// <summary>The filter on one text column, or null (the session ID has none of its own; the search reads it).</summary>
    public string? Term(RowTextField field) => field switch
    {
        RowTextField.FirstName => _firstName,
        RowTextField.LastName => _lastName,
        RowTextField.Email => _email,
        RowTextField.Company => _company,
        RowTextField.LastUrl => _lastUrl,
        RowTextField.Store => _store,
        _ => null,
    };

    public SessionType? Type => _type;
    public long? IdFrom => _idFrom;
    public long? IdTo => _idTo;
    public long ActivityFromTicks => _activityFrom;
    public long ActivityToTicks => _activityTo;

    public bool Matches(OnlineRow row) =>
        MatchesValues(row.Type, row.LastActivity.UtcTicks, row.CustomerId) && MatchesText(row);

    // Values first: they sit in the entry itself, so most rows a filter rejects never cost a pointer chase.
    private bool MatchesValues(SessionType type, long lastActivityTicks, long? customerId) =>
        (_type is null || type == _type)
        && lastActivityTicks >= _activityFrom && lastActivityTicks <= _activityTo
        && (_idFrom is null || customerId >= _idFrom)
        && (_idTo is null || customerId <= _idTo);

    // A text field is read only when its filter is set. (The grid's own scan does not come here: it tests each text
    // value once per query in its columns, see EntryFilter; this path tests one changed row against a hub filter.)
    private bool MatchesText(OnlineRow row) =>
        (_firstName is null || Contains(row.FirstName, _firstName))
        && (_lastName is null || Contains(row.LastName, _lastName))
        && (_email is null || Contains(row.Email, _email))
        && (_company is null || Contains(row.Company, _company))
        && (_lastUrl is null || Contains(row.LastUrl, _lastUrl))
        && (_store is null || Contains(row.Store, _store))
        && (_search is null || MatchesSearch(row, _search));

    private bool MatchesSearch(OnlineRow row, string term) =>
        Contains(row.FirstName, term) || Contains(row.LastName, term) || Contains(row.Email, term) || Contains(row.Company, term)
        || Contains(row.LastUrl, term) || Contains(row.Store, term) || Contains(row.SessionId, term)
        || (_searchId is not null && row.CustomerId == _searchId);

    private static bool Contains(string? value, string filter) =>
        value is not null && value.Contains(filter, StringComparison.OrdinalIgnoreCase);

    // Digits as an ID prints (no '+', no leading zeros, no "-0"): built per query and per hub change, so no allocation.
    private static bool IsCanonicalInteger(string text)
    {
        var digits = text.AsSpan(text.StartsWith('-') ? 1 : 0);
        if (digits.IsEmpty || (digits[0] == '0' && (digits.Length > 1 || text.Length > 1))) return false;
        foreach (var c in digits)
            if (c is < '0' or > '9') return false;
        return true;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
