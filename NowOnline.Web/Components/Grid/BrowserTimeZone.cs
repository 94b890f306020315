using Microsoft.JSInterop;

namespace NowOnline.Web.Components.Grid;

/// <summary>The admin's own time zone as the browser reports it (IANA id); UTC when the browser does not say.</summary>
public static class BrowserTimeZone
{
    public static async Task<TimeZoneInfo> DetectAsync(IJSRuntime js)
    {
        try
        {
            var id = await js.InvokeAsync<string?>("nowOnline.timeZone");
            return id is not null && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : TimeZoneInfo.Utc;
        }
        catch (JSException)
        {
            return TimeZoneInfo.Utc;
        }
    }
}
