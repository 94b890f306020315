namespace NowOnline.Core.Trend;

/// <summary>
/// One minute of the Now Online trend: the online list's size at the end of the minute and the events applied during it.
/// <see cref="AtMs"/> (Unix milliseconds, the minute's end, on a whole minute) is the key: one row per minute.
/// </summary>
public sealed record TrendPoint(long AtMs, int Online, int Customers, int Visitors, int Events)
{
    public DateTimeOffset At => DateTimeOffset.FromUnixTimeMilliseconds(AtMs);
}
