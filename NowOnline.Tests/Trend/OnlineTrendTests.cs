using System.Globalization;
using Bunit;
using NowOnline.Core.Trend;
using NowOnline.Web.Components.Trend;

namespace NowOnline.Tests.Trend;

public sealed class OnlineTrendTests : BunitContext
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
    private readonly TrendHistory _history = new();

    public OnlineTrendTests()
    {
        Services.AddSingleton(_history);
        JSInterop.Setup<string?>("nowOnline.timeZone").SetResult(null);
    }

    [Fact]
    public void Without_points_it_says_the_trend_starts_with_the_first_minute()
    {
        var trend = Render<OnlineTrend>();

        Assert.Contains("first full minute", trend.Find("[data-testid=trend-empty]").TextContent);
        Assert.Empty(trend.FindAll("svg"));
    }

    [Fact]
    public void Draws_a_line_for_customers_and_visitors_and_a_bar_for_each_minute_with_events()
    {
        _history.Load([Point(1, customers: 2, visitors: 4, events: 10), Point(2, customers: 4, visitors: 2, events: 0), Point(3, 1, 1, 5)]);

        var trend = Render<OnlineTrend>();

        Assert.Equal(3, trend.Find("[data-testid=trend-customers-line]").GetAttribute("points")!.Split(' ').Length);
        Assert.Equal(3, trend.Find("[data-testid=trend-visitors-line]").GetAttribute("points")!.Split(' ').Length);
        Assert.Equal(2, trend.FindAll("[data-testid=trend-events-bar]").Count);
        // The highest count touches the top margin, zero lies on the baseline.
        Assert.EndsWith(",8", trend.Find("[data-testid=trend-customers-line]").GetAttribute("points")!.Split(' ')[1]);
    }

    [Fact]
    public void A_full_hour_of_bars_has_no_two_bars_overlapping()
    {
        _history.Load(Enumerable.Range(1, 60).Select(minute => Point(minute, 1, 1, events: minute)));

        var bars = Render<OnlineTrend>().FindAll("[data-testid=trend-events-bar]")
            .Select(b => (X: double.Parse(b.GetAttribute("x")!, CultureInfo.InvariantCulture), Width: double.Parse(b.GetAttribute("width")!, CultureInfo.InvariantCulture)))
            .ToList();

        Assert.Equal(60, bars.Count);
        for (var i = 1; i < bars.Count; i++)
            Assert.True(bars[i - 1].X + bars[i - 1].Width <= bars[i].X + 1e-9, $"bar {i - 1} reaches into bar {i}");
    }

    [Fact]
    public void Summary_and_table_give_the_figures_to_screen_readers()
    {
        _history.Load([Point(1, 2, 4, 10), Point(2, customers: 3, visitors: 5, events: 7)]);

        var trend = Render<OnlineTrend>();

        var chart = trend.Find("[data-testid=trend-chart]");
        Assert.Equal("img", chart.GetAttribute("role"));
        Assert.Equal("Online trend, last 60 minutes: 3 customers and 5 visitors online at 12:02 UTC, 7 events in that minute.",
            chart.GetAttribute("aria-label"));
        var rows = trend.FindAll("[data-testid=trend-table] tbody tr")
            .Select(r => string.Join(" ", r.Children.Select(c => c.TextContent))).ToList();
        Assert.Equal(["12:01 2 4 10", "12:02 3 5 7"], rows);
    }

    [Fact]
    public void Times_are_in_the_admins_own_time_zone_when_the_browser_names_it()
    {
        JSInterop.Setup<string?>("nowOnline.timeZone").SetResult("Europe/Berlin");
        _history.Load([Point(1, 2, 4, 10), Point(2, customers: 3, visitors: 5, events: 7)]);

        var trend = Render<OnlineTrend>();

        // Noon UTC in November is 13:00 in Berlin; no "UTC" label once the zone is the admin's own.
        trend.WaitForAssertion(() => Assert.Contains("online at 13:02,", trend.Find("[data-testid=trend-chart]").GetAttribute("aria-label")));
        Assert.Equal("13:01", trend.Find("[data-testid=trend-table] tbody tr th").TextContent);
        Assert.DoesNotContain("UTC", trend.Find(".trend-scale").TextContent);
    }

    [Fact]
    public void A_new_point_is_drawn_without_reloading_the_page()
    {
        _history.Load([Point(1, 2, 4, 10)]);
        var trend = Render<OnlineTrend>();

        _history.Add(Point(2, customers: 9, visitors: 1, events: 3));

        trend.WaitForAssertion(() =>
        {
            Assert.Equal(2, trend.Find("[data-testid=trend-customers-line]").GetAttribute("points")!.Split(' ').Length);
            Assert.Contains("9 customers and 1 visitors online at 12:02 UTC", trend.Find("[data-testid=trend-chart]").GetAttribute("aria-label"));
        });
    }

    private static TrendPoint Point(int minute, int customers, int visitors, int events) =>
        new(Noon.AddMinutes(minute).ToUnixTimeMilliseconds(), customers + visitors, customers, visitors, events);
}
