namespace NowOnline.Core.Settings;

/// <summary>The two Online Customers Options, in minutes.</summary>
public sealed record OnlineSettings(int OnlineMinutesInterval, int CustomerDataLifetime)
{
    public const int DefaultOnlineMinutesInterval = 15;
    public const int DefaultCustomerDataLifetime = 60;
    public const int MaxOnlineMinutesInterval = 1440;
    public const int MaxCustomerDataLifetime = 43200;

    public static OnlineSettings Default { get; } = new(DefaultOnlineMinutesInterval, DefaultCustomerDataLifetime);

    public TimeSpan Interval => TimeSpan.FromMinutes(OnlineMinutesInterval);

    public TimeSpan DataLifetime => TimeSpan.FromMinutes(CustomerDataLifetime);
}
