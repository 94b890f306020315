using System.Text.Json;
using Microsoft.Extensions.Primitives;
using NowOnline.Core.Presence;
using NowOnline.Web.Api.Online;

namespace NowOnline.Web.Hubs;

/// <summary>
/// Reads a hub subscription's filter: a JSON object with the filter fields of <c>GET /api/online</c>,
/// validated by the same parser so both name a bad value the same way. Sort and paging do not apply:
/// a subscriber receives every matching row.
/// </summary>
public static class PresenceFilter
{
    public static readonly IReadOnlyList<string> Fields =
    [
        "search", "type", "store", "idFrom", "idTo", "firstName", "lastName", "email", "company", "lastUrl",
        "activityFrom", "activityTo",
    ];

    /// <summary>The query, or a message that names every bad field.</summary>
    public static (OnlineQuery? Query, string? Error) Parse(JsonElement filter)
    {
        if (filter.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null) return (new OnlineQuery(), null);
        if (filter.ValueKind != JsonValueKind.Object)
            return (null, "The filter must be a JSON object such as {\"type\":\"Customer\"}, or {} for every row.");

        var problems = new List<string>();
        var values = new Dictionary<string, StringValues>(StringComparer.OrdinalIgnoreCase);
        foreach (var property in filter.EnumerateObject())
        {
            var name = Fields.FirstOrDefault(f => f.Equals(property.Name, StringComparison.OrdinalIgnoreCase));
            if (name is null)
                problems.Add($"{Shorten(property.Name)}: not a filter of the presence hub. Filters: {string.Join(", ", Fields)}.");
            else if (values.ContainsKey(name))
                problems.Add($"{name}: given more than once.");
            else if (property.Value.ValueKind is JsonValueKind.String)
                values[name] = property.Value.GetString();
            else if (property.Value.ValueKind is JsonValueKind.Number)
                values[name] = property.Value.GetRawText();
            else if (property.Value.ValueKind is not JsonValueKind.Null)
                problems.Add($"{name}: must be a string.");
        }

        var (query, errors) = OnlineQueryParser.Parse(values, OnlineQuery.MaxTake);
        problems.AddRange(errors.ToDictionary().SelectMany(e => e.Value.Select(message => $"{e.Key}: {message}")));
        return problems.Count == 0
            ? (query, null)
            : (null, "The filter is not valid. " + string.Join(" ", problems));
    }

    private static string Shorten(string name) => name.Length <= 64 ? name : name[..64] + "…";
}
