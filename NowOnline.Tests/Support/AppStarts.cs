namespace NowOnline.Tests.Support;

/// <summary>
/// Counts the app starts of a test run (in-process, held and child-process): each start appends one line naming its
/// kind to the file named by NOWONLINE_APP_STARTS, which .ci/run counts and prints at the end. Without the variable
/// nothing is written.
/// </summary>
public static class AppStarts
{
    private static readonly object Gate = new();
    private static readonly string? LogFile = Environment.GetEnvironmentVariable("NOWONLINE_APP_STARTS");

    public static void Record(string kind)
    {
        if (string.IsNullOrEmpty(LogFile)) return;
        lock (Gate) File.AppendAllText(LogFile, kind + Environment.NewLine);
    }
}
