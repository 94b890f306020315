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

    /// <summary>Whether a row belongs to the view (the same test the tracker's query and the hub's filters use).</summary>
    public bool Matches(OnlineRow row) => new RowFilter(this).Matches(row);
}

/// <summary>One page of the online list plus the live header counts (which ignore filters).</summary>
public sealed record OnlinePage(int Total, IReadOnlyList<OnlineRow> Items, int Online, int Customers, int Visitors);
