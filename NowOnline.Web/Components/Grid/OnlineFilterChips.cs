using System.Globalization;
using NowOnline.Core.Presence;

namespace NowOnline.Web.Components.Grid;

/// <summary>One active filter as the admin sees it, and how to take it away.</summary>
public sealed record FilterChip(string Name, string Label, Func<OnlineQuery, OnlineQuery> Remove);

/// <summary>The active filters of a query as chips, in the order of the grid's columns.</summary>
public static class OnlineFilterChips
{
    public static IReadOnlyList<FilterChip> For(OnlineQuery query, TimeZoneInfo zone)
    {
        var chips = new List<FilterChip>();
        void Text(string name, string title, string? value, Func<OnlineQuery, OnlineQuery> remove)
        {
            if (!string.IsNullOrEmpty(value)) chips.Add(new(name, $"{title} contains “{value}”", remove));
        }

        if (!string.IsNullOrEmpty(query.Search)) chips.Add(new("search", $"Search “{query.Search}”", q => q with { Search = null }));
        if (query.IdFrom is not null || query.IdTo is not null)
            chips.Add(new("id", query switch
            {
                { IdFrom: { } from, IdTo: { } to } => $"ID {from}–{to}",
                { IdFrom: { } from } => $"ID ≥ {from}",
                _ => $"ID ≤ {query.IdTo}",
            }, q => q with { IdFrom = null, IdTo = null }));
        Text("firstName", "First Name", query.FirstName, q => q with { FirstName = null });
        Text("lastName", "Last Name", query.LastName, q => q with { LastName = null });
        Text("email", "Email", query.Email, q => q with { Email = null });
        if (query.ActivityWithin is { } within)
            chips.Add(new("activityWithin", $"Last Activity within {within.TotalMinutes:0} min", q => q with { ActivityWithin = null }));
        if (query.ActivityFrom is { } activityFrom)
            chips.Add(new("activityFrom", $"Last Activity from {Local(activityFrom, zone)}", q => q with { ActivityFrom = null }));
        if (query.ActivityTo is { } activityTo)
            chips.Add(new("activityTo", $"Last Activity to {Local(activityTo, zone)}", q => q with { ActivityTo = null }));
        if (query.Type is { } type) chips.Add(new("type", $"Type: {type}", q => q with { Type = null }));
        Text("lastUrl", "Last URL", query.LastUrl, q => q with { LastUrl = null });
        Text("company", "Company", query.Company, q => q with { Company = null });
        Text("store", "Store", query.Store, q => q with { Store = null });
        return chips;
    }

    /// <summary>The query without any filter; sort and page size stay as the admin set them.</summary>
    public static OnlineQuery Clear(OnlineQuery query) =>
        new() { Sort = query.Sort, Descending = query.Descending, Take = query.Take };

    private static string Local(DateTimeOffset at, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(at, zone).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}
