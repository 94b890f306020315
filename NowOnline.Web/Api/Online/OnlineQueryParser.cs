using System.Globalization;
using Microsoft.Extensions.Primitives;
using NowOnline.Core.Presence;
using NowOnline.Web.Api.Activity;

namespace NowOnline.Web.Api.Online;

/// <summary>Reads an <see cref="OnlineQuery"/> from query-string values, naming each bad parameter.</summary>
public static class OnlineQueryParser
{
    public const int ApiDefaultTake = 50;
    public const int MaxFilterLength = 255;
    public const int MaxActivityWithinMinutes = 24 * 60;

    private static readonly Dictionary<string, OnlineSortField> SortFields = new(StringComparer.OrdinalIgnoreCase)
    {
        ["lastActivity"] = OnlineSortField.LastActivity,
        ["id"] = OnlineSortField.Id,
        ["firstName"] = OnlineSortField.FirstName,
        ["lastName"] = OnlineSortField.LastName,
        ["email"] = OnlineSortField.Email,
        ["company"] = OnlineSortField.Company,
        ["type"] = OnlineSortField.Type,
        ["lastUrl"] = OnlineSortField.LastUrl,
        ["store"] = OnlineSortField.Store,
    };

    public static string SortName(OnlineSortField field) => SortFields.First(f => f.Value == field).Key;

    public static (OnlineQuery Query, ValidationErrors Errors) Parse(IEnumerable<KeyValuePair<string, StringValues>> values, int defaultTake)
    {
        var source = values.ToDictionary(v => v.Key, v => v.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var errors = new ValidationErrors();
        string? Text(string name)
        {
            if (!source.TryGetValue(name, out var value) || string.IsNullOrWhiteSpace(value)) return null;
            if (value.Length > MaxFilterLength) errors.Add(name, $"The {name} filter is longer than {MaxFilterLength} characters.");
            else if (value.Any(char.IsControl)) errors.Add(name, $"The {name} filter contains control characters.");
            else return value.Trim();
            return null;
        }

        long? Long(string name, long min)
        {
            var text = Text(name);
            if (text is null) return null;
            if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min) return value;
            errors.Add(name, $"The {name} must be a whole number of at least {min}.");
            return null;
        }

        DateTimeOffset? Time(string name)
        {
            var text = Text(name);
            if (text is null) return null;
            if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value)) return value;
            errors.Add(name, $"The {name} must be an ISO 8601 date and time, such as 2026-11-22T11:00:00Z.");
            return null;
        }

        SessionType? type = null;
        if (Text("type") is { } typeText)
        {
            if (Enum.TryParse<SessionType>(typeText, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed)
                && !int.TryParse(typeText, out _)) type = parsed;
            else errors.Add("type", "The type must be Customer or Visitor.");
        }

        var sort = OnlineSortField.LastActivity;
        var descending = true;
        if (Text("sort") is { } sortText)
        {
            var parts = sortText.Split(':');
            var directionOk = parts.Length == 1 || (parts.Length == 2 && parts[1].ToLowerInvariant() is "asc" or "desc");
            if (parts.Length <= 2 && directionOk && SortFields.TryGetValue(parts[0], out sort))
                descending = parts.Length == 1 ? sort == OnlineSortField.LastActivity : parts[1].Equals("desc", StringComparison.OrdinalIgnoreCase);
            else errors.Add("sort", $"The sort must be a column and a direction, such as lastActivity:desc. Columns: {string.Join(", ", SortFields.Keys)}.");
        }

        var skip = Long("skip", 0) ?? 0;
        var take = Long("take", 1) ?? defaultTake;
        if (take > OnlineQuery.MaxTake) errors.Add("take", $"The take must be at most {OnlineQuery.MaxTake}.");
        if (skip > int.MaxValue) errors.Add("skip", "The skip is too large.");

        var query = new OnlineQuery
        {
            Search = Text("search"),
            Type = type,
            IdFrom = Long("idFrom", 0),
            IdTo = Long("idTo", 0),
            FirstName = Text("firstName"),
            LastName = Text("lastName"),
            Email = Text("email"),
            Company = Text("company"),
            LastUrl = Text("lastUrl"),
            Store = Text("store"),
            ActivityFrom = Time("activityFrom"),
            ActivityTo = Time("activityTo"),
            ActivityWithin = Long("activityWithin", 1) is { } minutes
                ? minutes <= MaxActivityWithinMinutes
                    ? TimeSpan.FromMinutes(minutes)
                    : Fail<TimeSpan?>(errors, "activityWithin", $"The activityWithin must be at most {MaxActivityWithinMinutes} minutes.")
                : null,
            Sort = sort,
            Descending = descending,
            Skip = (int)Math.Min(skip, int.MaxValue),
            Take = (int)Math.Min(take, OnlineQuery.MaxTake),
        };
        if (query.IdFrom > query.IdTo) errors.Add("idTo", "The idTo must not be less than idFrom.");
        if (query.ActivityFrom > query.ActivityTo) errors.Add("activityTo", "The activityTo must not be before activityFrom.");
        return (query, errors);
    }

    private static T? Fail<T>(ValidationErrors errors, string name, string message)
    {
        errors.Add(name, message);
        return default;
    }
}
