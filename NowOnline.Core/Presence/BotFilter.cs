namespace NowOnline.Core.Presence;

/// <summary>Matches user agents against the configured ignore patterns (case-insensitive substrings).</summary>
public sealed class BotFilter(IEnumerable<string> patterns)
{
    private readonly string[] _patterns = patterns.Where(p => !string.IsNullOrWhiteSpace(p)).Select(p => p.Trim()).ToArray();

    public bool Matches(string? userAgent)
    {
        if (string.IsNullOrEmpty(userAgent)) return false;
        foreach (var pattern in _patterns)
            if (userAgent.Contains(pattern, StringComparison.OrdinalIgnoreCase)) return true;
        return false;
    }
}
