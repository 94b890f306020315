using System.Globalization;
using System.Text.Json;
using NowOnline.Core.Settings;

namespace NowOnline.Web.Api.Settings;

/// <summary>
/// The body of <c>PUT /api/settings</c>: the two options (number, numeric string, or null/absent for the default)
/// and the version read before, in the body or as If-Match. The values themselves are judged by <see cref="SettingsValidator"/>.
/// </summary>
public sealed record SettingsRequest(SettingsDraft Draft, long? Version, Dictionary<string, string[]> Errors)
{
    public const int MaxBodyBytes = 4096;
    public const int MaxDepth = 4;
    private const string VersionField = "version";

    public static string ETag(long version) => $"\"{version.ToString(CultureInfo.InvariantCulture)}\"";

    public static SettingsRequest Parse(JsonElement root, string? ifMatch)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (root.ValueKind != JsonValueKind.Object)
        {
            errors["body"] = ["The body must be a JSON object such as {\"onlineMinutesInterval\": 15, \"customerDataLifetime\": 60, \"version\": 3}."];
            return new SettingsRequest(new SettingsDraft(null, null), null, errors);
        }

        foreach (var property in root.EnumerateObject())
            if (property.Name is not (SettingsValidator.IntervalField or SettingsValidator.LifetimeField or VersionField))
                errors[property.Name.Length > 64 ? property.Name[..64] : property.Name] =
                    [$"Unknown field; send {SettingsValidator.IntervalField}, {SettingsValidator.LifetimeField} and {VersionField}."];

        var interval = Minutes(root, SettingsValidator.IntervalField, SettingsValidator.IntervalLabel, errors);
        var lifetime = Minutes(root, SettingsValidator.LifetimeField, SettingsValidator.LifetimeLabel, errors);
        var version = ParseVersion(root, ifMatch, errors);
        return new SettingsRequest(new SettingsDraft(interval, lifetime), version, errors);
    }

    private static string? Minutes(JsonElement root, string field, string label, Dictionary<string, string[]> errors)
    {
        if (!root.TryGetProperty(field, out var value)) return null;
        switch (value.ValueKind)
        {
            case JsonValueKind.Null:
                return null;
            case JsonValueKind.Number:
                return value.GetRawText();
            case JsonValueKind.String:
                return value.GetString();
            default:
                errors[field] = [$"{label} must be a whole number of minutes, or null for the default (got {value.ValueKind.ToString().ToLowerInvariant()})."];
                return null;
        }
    }

    private static long? ParseVersion(JsonElement root, string? ifMatch, Dictionary<string, string[]> errors)
    {
        long? fromBody = null;
        if (root.TryGetProperty(VersionField, out var value) && value.ValueKind != JsonValueKind.Null)
        {
            if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) && number >= 0) fromBody = number;
            else
            {
                errors[VersionField] = ["The version must be the whole number read from GET /api/settings."];
                return null;
            }
        }

        long? fromHeader = null;
        if (!string.IsNullOrWhiteSpace(ifMatch))
        {
            var text = ifMatch.Trim();
            if (text.StartsWith("W/", StringComparison.Ordinal)) text = text[2..];
            if (text.Length >= 2 && text[0] == '"' && text[^1] == '"'
                && long.TryParse(text[1..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var tag))
                fromHeader = tag;
            else
            {
                errors["If-Match"] = ["If-Match must be the ETag of GET /api/settings, such as \"3\"."];
                return null;
            }
        }

        if (fromBody is not null && fromHeader is not null && fromBody != fromHeader)
        {
            errors[VersionField] = [$"The version in the body ({fromBody}) and in If-Match ({fromHeader}) differ."];
            return null;
        }

        return fromBody ?? fromHeader;
    }
}
