namespace NowOnline.Core.Presence;

public enum OnlineSortField
{
    LastActivity,
    Id,
    FirstName,
    LastName,
    Email,
    Company,
    Type,
    LastUrl,
    Store,
}

/// <summary>A filtered, sorted page of the online list. Text filters are case-insensitive "contains".</summary>
public sealed record OnlineQuery
{
    public const int DefaultTake = 20;
    public const int MaxTake = 1000;

    public string? Search { get; init; }
    public SessionType? Type { get; init; }
    public long? IdFrom { get; init; }
    public long? IdTo { get; init; }
    public string? FirstName { get; init; }
    public string? LastName { get; init; }
    public string? Email { get; init; }
    public string? Company { get; init; }
    public string? LastUrl { get; init; }
    public string? Store { get; init; }
    public DateTimeOffset? ActivityFrom { get; init; }
    public DateTimeOffset? ActivityTo { get; init; }

    /// <summary>A sliding "last N minutes" window, resolved against the clock each time the query runs.</summary>
    public TimeSpan? ActivityWithin { get; init; }
    public OnlineSortField Sort { get; init; } = OnlineSortField.LastActivity;
    public bool Descending { get; init; } = true;
    public int Skip { get; init; }
    public int Take { get; init; } = DefaultTake;

    /// <summary>The query with <see cref="ActivityWithin"/> turned into a fixed lower bound at <paramref name="now"/>.</summary>
    public OnlineQuery At(DateTimeOffset now)
    {
        if (ActivityWithin is not { } within) return this;
        var from = now - within;
        return this with { ActivityWithin = null, ActivityFrom = ActivityFrom is { } f && f > from ? f : from };
    }

    public bool Matches(OnlineRow row) =>
        (Type is null || row.Type == Type)
        && (IdFrom is null || row.CustomerId >= IdFrom)
        && (IdTo is null || row.CustomerId <= IdTo)
        && Contains(row.FirstName, FirstName)
        && Contains(row.LastName, LastName)
        && Contains(row.Email, Email)
        && Contains(row.Company, Company)
        && Contains(row.LastUrl, LastUrl)
        && Contains(row.Store, Store)
        && (ActivityFrom is null || row.LastActivity >= ActivityFrom)
        && (ActivityTo is null || row.LastActivity <= ActivityTo)
        && MatchesSearch(row);

    private bool MatchesSearch(OnlineRow row)
    {
        if (string.IsNullOrWhiteSpace(Search)) return true;
        var term = Search.Trim();
        return Contains(row.FirstName, term) || Contains(row.LastName, term) || Contains(row.Email, term)
            || Contains(row.Company, term) || Contains(row.LastUrl, term) || Contains(row.Store, term)
            || Contains(row.SessionId, term)
            || (row.CustomerId is { } id && id.ToString(System.Globalization.CultureInfo.InvariantCulture) == term);
    }

    private static bool Contains(string? value, string? filter) =>
        string.IsNullOrEmpty(filter) || (value is not null && value.Contains(filter, StringComparison.OrdinalIgnoreCase));
}

/// <summary>One page of the online list plus the live header counts (which ignore filters).</summary>
public sealed record OnlinePage(int Total, IReadOnlyList<OnlineRow> Items, int Online, int Customers, int Visitors);
