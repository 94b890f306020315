namespace NowOnline.Load;

/// <summary>How the load tool's phases start NowOnline: as a user starts it (Release, Production), with its own SQLite file.</summary>
public static class LoadApp
{
    public const string AdminEmail = "bench-admin@example.com";
    public const string AdminPassword = "Bench-Only-Password-1";

    /// <summary>The app's environment: its own database, one storefront key, the rate limit raised, the simulator off.</summary>
    public static Dictionary<string, string> Environment(string database, string apiKey, IReadOnlyDictionary<string, string>? extra = null)
    {
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ConnectionStrings__NowOnline"] = $"Data Source={database}",
            ["Ingestion__ApiKeys__0"] = apiKey,
            ["Ingestion__RateLimitPermits"] = "10000000", // the per-key limit guards production, not a load run
            ["Simulator__Enabled"] = "false",
            ["Logging__LogLevel__Default"] = "Warning",
            ["Admin__Email"] = AdminEmail,
            ["Admin__Password"] = AdminPassword,
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string>()) environment[key] = value;
        return environment;
    }
}
