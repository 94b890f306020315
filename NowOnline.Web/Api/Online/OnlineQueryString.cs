using System.Globalization;
using NowOnline.Core.Presence;

namespace NowOnline.Web.Api.Online;

/// <summary>
/// Writes an <see cref="OnlineQuery"/> back as query-string parameters, the inverse of <see cref="OnlineQueryParser"/>:
/// the grid's URL, its export link and <c>GET /api/online</c> all use the same names. Defaults are left out.
/// </summary>
public static class OnlineQueryString
{
    public static IReadOnlyList<KeyValuePair<string, string>> Parameters(OnlineQuery query, int defaultTake, bool includePaging = true)
    {
        var values = new List<KeyValuePair<string, string>>();
        void Add(string name, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value)) values.Add(new(name, value));
        }

        Add("search", query.Search);
        Add("type", query.Type?.ToString());
        Add("idFrom", query.IdFrom?.ToString(CultureInfo.InvariantCulture));
        Add("idTo", query.IdTo?.ToString(CultureInfo.InvariantCulture));
        Add("firstName", query.FirstName);
        Add("lastName", query.LastName);
        Add("email", query.Email);
        Add("company", query.Company);
        Add("lastUrl", query.LastUrl);
        Add("store", query.Store);
        Add("activityFrom", Time(query.ActivityFrom));
        Add("activityTo", Time(query.ActivityTo));
        Add("activityWithin", query.ActivityWithin is { } within ? ((long)within.TotalMinutes).ToString(CultureInfo.InvariantCulture) : null);
        if (query.Sort != OnlineSortField.LastActivity || !query.Descending)
            Add("sort", $"{OnlineQueryParser.SortName(query.Sort)}:{(query.Descending ? "desc" : "asc")}");
        if (includePaging)
        {
            if (query.Take != defaultTake) Add("take", query.Take.ToString(CultureInfo.InvariantCulture));
            if (query.Skip > 0) Add("skip", query.Skip.ToString(CultureInfo.InvariantCulture));
        }

        return values;
    }

    /// <summary>"?a=1&amp;b=2" (or "" when everything is a default), each value escaped.</summary>
    public static string Format(OnlineQuery query, int defaultTake, bool includePaging = true)
    {
        var parameters = Parameters(query, defaultTake, includePaging);
        return parameters.Count == 0
            ? ""
            : "?" + string.Join('&', parameters.Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value)}"));
    }

    private static string? Time(DateTimeOffset? at) =>
        at?.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
