namespace NowOnline.Core.Settings;

/// <summary>
/// The one set of rules for the Online Customers Options, shared by the settings form and <c>PUT /api/settings</c>.
/// Values arrive as text (what the admin typed, or a JSON number's text): blank means the default.
/// </summary>
public static class SettingsValidator
{
    public const string IntervalField = "onlineMinutesInterval";
    public const string LifetimeField = "customerDataLifetime";
    public const string IntervalLabel = "Online Minutes Interval";
    public const string LifetimeLabel = "Customer Data Lifetime";
    private const int MaxTextLength = 32;

    public static SettingsValidation Validate(SettingsDraft draft)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var interval = Minutes(draft.OnlineMinutesInterval, IntervalField, IntervalLabel,
            OnlineSettings.DefaultOnlineMinutesInterval, OnlineSettings.MaxOnlineMinutesInterval, "one day", errors);
        var lifetime = Minutes(draft.CustomerDataLifetime, LifetimeField, LifetimeLabel,
            OnlineSettings.DefaultCustomerDataLifetime, OnlineSettings.MaxCustomerDataLifetime, "30 days", errors);
        return errors.Count == 0
            ? new SettingsValidation(new OnlineSettings(interval, lifetime), errors)
            : new SettingsValidation(null, errors);
    }

    /// <summary>The message for one field, or null when the text is acceptable (the form checks as the admin types).</summary>
    public static string? Check(string field, string? text)
    {
        var draft = field == IntervalField ? new SettingsDraft(text, null) : new SettingsDraft(null, text);
        return Validate(draft).Errors.TryGetValue(field, out var messages) ? messages[0] : null;
    }

    private static int Minutes(string? text, string field, string label, int defaultValue, int max, string maxInWords,
        Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(text)) return defaultValue;
        var trimmed = text.Trim();
        string? problem = null;
        if (trimmed.Length > MaxTextLength)
            problem = $"{label} must be a whole number of minutes from 1 to {max}; the value given is {trimmed.Length} characters long.";
        else if (trimmed.StartsWith('-') && trimmed.Length > 1 && trimmed[1..].All(char.IsAsciiDigit))
            problem = $"{label} must be greater than zero (got {trimmed}).";
        else if (!trimmed.All(char.IsAsciiDigit))
            problem = $"{label} must be a whole number of minutes, such as {defaultValue} ('{Shorten(trimmed)}' is not).";
        else
        {
            var digits = trimmed.TrimStart('0');
            if (digits.Length == 0)
                problem = $"{label} must be greater than zero.";
            else if (digits.Length > 9 || int.Parse(digits, System.Globalization.CultureInfo.InvariantCulture) > max)
                problem = $"{label} must be at most {max} minutes ({maxInWords}); got {Shorten(digits)}.";
            else
                return int.Parse(digits, System.Globalization.CultureInfo.InvariantCulture);
        }

        errors[field] = [problem];
        return defaultValue;
    }

    private static string Shorten(string text)
    {
        var clean = new string(text.Select(c => char.IsControl(c) ? '?' : c).ToArray());
        return clean.Length <= 20 ? clean : clean[..20] + "…";
    }
}

/// <summary>The two options as typed: null or blank means the default.</summary>
public sealed record SettingsDraft(string? OnlineMinutesInterval, string? CustomerDataLifetime)
{
    public static SettingsDraft From(OnlineSettings settings) =>
        new(settings.OnlineMinutesInterval.ToString(System.Globalization.CultureInfo.InvariantCulture),
            settings.CustomerDataLifetime.ToString(System.Globalization.CultureInfo.InvariantCulture));
}

/// <summary>The valid settings, or a readable message per bad field (keyed by its JSON name).</summary>
public sealed record SettingsValidation(OnlineSettings? Settings, IReadOnlyDictionary<string, string[]> Errors)
{
    public bool IsValid => Settings is not null;
}
