using System.Globalization;
using NowOnline.Core.Settings;

namespace NowOnline.Web.Api.Settings;

/// <summary>The one wording of a concurrency conflict, for the API and the form.</summary>
public static class SettingsConflict
{
    public static string Message(VersionedSettings winner, TimeZoneInfo? timeZone = null)
    {
        var who = winner.UpdatedBy ?? "another admin";
        var when = winner.UpdatedAt is { } at
            ? TimeZoneInfo.ConvertTime(at, timeZone ?? TimeZoneInfo.Utc).ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture)
            : "a moment ago";
        return $"The settings were changed by {who} at {when}; nothing was saved. Reload to see their values.";
    }
}
