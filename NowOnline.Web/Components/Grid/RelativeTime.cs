namespace NowOnline.Web.Components.Grid;

/// <summary>"just now", "2 min ago", "3 h ago": how long ago something happened, in the grid's words.</summary>
public static class RelativeTime
{
    public static string Ago(DateTimeOffset at, DateTimeOffset now)
    {
        var elapsed = now - at;
        if (elapsed < TimeSpan.FromSeconds(45)) return "just now";
        if (elapsed < TimeSpan.FromMinutes(1.5)) return "1 min ago";
        if (elapsed < TimeSpan.FromHours(1)) return $"{(int)Math.Round(elapsed.TotalMinutes)} min ago";
        if (elapsed < TimeSpan.FromDays(1)) return $"{(int)elapsed.TotalHours} h ago";
        return $"{(int)elapsed.TotalDays} d ago";
    }
}
