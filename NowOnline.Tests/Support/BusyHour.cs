using NowOnline.Core.Trend;

namespace NowOnline.Tests.Support;

/// <summary>An hour of a shop warming up, as the minute sampler would have recorded it: for screenshots of the trend.</summary>
public static class BusyHour
{
    public static void LoadBusyHour(this TrendHistory history)
    {
        var lastMinute = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 60_000 * 60_000;
        history.Load(Enumerable.Range(0, 60).Select(i =>
        {
            var customers = 6 + (int)Math.Round(10.0 * i / 59 + 2 * Math.Sin(i / 5.0));
            var visitors = 4 + (int)Math.Round(2 * Math.Sin(i / 7.0 + 1) + 2.0 * i / 59);
            var events = 20 + (int)Math.Round(12 * Math.Sin(i / 4.0) + 30.0 * i / 59 + (i % 7) * 2);
            return new TrendPoint(lastMinute - (59 - i) * 60_000L, customers + visitors, customers, visitors, events);
        }));
    }
}
