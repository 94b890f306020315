namespace NowOnline.Core.Presence;

/// <summary>What a shopper did. Only state-changing types count as activity; <see cref="PageView"/> does not.</summary>
public enum ActivityType
{
    Login,
    Register,
    Logout,
    CartAdd,
    CartRemove,
    CartUpdate,
    PageView,
}

public static class ActivityTypes
{
    private static readonly Dictionary<string, ActivityType> ByWireName = new(StringComparer.Ordinal)
    {
        ["login"] = ActivityType.Login,
        ["register"] = ActivityType.Register,
        ["logout"] = ActivityType.Logout,
        ["cart_add"] = ActivityType.CartAdd,
        ["cart_remove"] = ActivityType.CartRemove,
        ["cart_update"] = ActivityType.CartUpdate,
        ["page_view"] = ActivityType.PageView,
    };

    /// <summary>The wire names accepted by the HTTP contract, in contract order.</summary>
    public static IReadOnlyCollection<string> WireNames => ByWireName.Keys;

    public static bool TryParse(string? wireName, out ActivityType type) =>
        ByWireName.TryGetValue(wireName ?? "", out type);

    public static string ToWireName(this ActivityType type) =>
        ByWireName.First(pair => pair.Value == type).Key;

    public static bool CountsAsActivity(this ActivityType type) => type != ActivityType.PageView;

    public static bool IsCartChange(this ActivityType type) =>
        type is ActivityType.CartAdd or ActivityType.CartRemove or ActivityType.CartUpdate;

    public static bool SignsIn(this ActivityType type) => type is ActivityType.Login or ActivityType.Register;
}
