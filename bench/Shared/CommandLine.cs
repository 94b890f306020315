namespace NowOnline.Bench.Shared;

/// <summary>The bench tools' options: <c>--name value</c> pairs anywhere in the arguments.</summary>
public static class CommandLine
{
    /// <summary>The value after <paramref name="name"/>, or <paramref name="fallback"/>; without a fallback the option is required.</summary>
    public static string Option(string[] args, string name, string? fallback = null)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback ?? throw new ArgumentException($"{name} is required");
    }
}
