using System.Globalization;
using NowOnline.Core.Trend;

namespace NowOnline.Web.Components.Trend;

/// <summary>
/// The geometry of the trend in SVG user units: the hour ending at the latest point spans the width; lines share one
/// scale (the largest count), bars their own (the most events in a minute).
/// </summary>
internal sealed record TrendChart(
    IReadOnlyList<TrendPoint> Points, TrendPoint Latest, DateTimeOffset Start, DateTimeOffset End,
    int MaxCount, int MaxEvents, string CustomersLine, string VisitorsLine, IReadOnlyList<TrendBar> EventBars)
{
    public const int Width = 600;
    public const int Height = 160;
    private const double Top = 8;
    private static readonly double Span = (TrendHistory.Window - TimeSpan.FromMinutes(1)).TotalMilliseconds;
    private static readonly double BarWidth = Width / TrendHistory.Window.TotalMinutes * 0.7;
    private const double MinBarWidth = 1.5;

    public static readonly TrendChart Empty = new([], new TrendPoint(0, 0, 0, 0, 0), default, default, 0, 0, "", "", []);

    public static TrendChart From(IReadOnlyList<TrendPoint> points)
    {
        if (points.Count == 0) return Empty;
        var latest = points[^1];
        var start = latest.AtMs - Span;
        var maxCount = Math.Max(1, points.Max(p => Math.Max(p.Customers, p.Visitors)));
        var maxEvents = Math.Max(1, points.Max(p => p.Events));
        double X(TrendPoint p) => (p.AtMs - start) / Span * Width;
        double Y(int value, int max) => Height - (Height - Top) * value / max;
        string Line(Func<TrendPoint, int> value) =>
            string.Join(' ', points.Select(p => $"{Format(X(p))},{Format(Y(value(p), maxCount))}"));
        var bars = points.Where(p => p.Events > 0).Select(p =>
        {
            var y = Y(p.Events, maxEvents);
            // A bar ends at its minute's end; the oldest minute began before the chart does, so only its visible part is
            // drawn (a sliver at least), not a full bar overlapping the next one.
            var x = Math.Max(0, X(p) - BarWidth);
            return new TrendBar(Format(x), Format(y), Format(Math.Max(MinBarWidth, Math.Min(BarWidth, X(p) - x))), Format(Height - y));
        }).ToList();
        return new TrendChart(points, latest, DateTimeOffset.FromUnixTimeMilliseconds((long)start), latest.At,
            maxCount, maxEvents, Line(p => p.Customers), Line(p => p.Visitors), bars);
    }

    private static string Format(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);
}

internal sealed record TrendBar(string X, string Y, string Width, string Height);
