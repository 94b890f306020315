namespace NowOnline.Core.Trend;

/// <summary>
/// The last hour of the trend in memory, for the page: the points of the last <see cref="Window"/> and an event when a
/// point arrives. Thread-safe; <see cref="Changed"/> is raised outside the lock, on the sampler's thread.
/// </summary>
public sealed class TrendHistory
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(60);

    private readonly object _gate = new();
    private List<TrendPoint> _points = [];

    /// <summary>Raised after a point was added (or a minute's point replaced); subscribers marshal to their own thread.</summary>
    public event Action? Changed;

    /// <summary>The points of the hour ending at the latest point, oldest first (a snapshot; at most 60).</summary>
    public IReadOnlyList<TrendPoint> Points
    {
        get { lock (_gate) return _points; }
    }

    /// <summary>Replaces the whole history (at start, from the database).</summary>
    public void Load(IEnumerable<TrendPoint> points)
    {
        lock (_gate) _points = Trim(points.OrderBy(p => p.AtMs).ToList());
        Changed?.Invoke();
    }

    public void Add(TrendPoint point)
    {
        lock (_gate)
        {
            var next = _points.Where(p => p.AtMs != point.AtMs).Append(point).OrderBy(p => p.AtMs).ToList();
            _points = Trim(next);
        }

        Changed?.Invoke();
    }

    private static List<TrendPoint> Trim(List<TrendPoint> points)
    {
        if (points.Count == 0) return points;
        var from = points[^1].AtMs - (long)Window.TotalMilliseconds;
        return points.Where(p => p.AtMs > from).ToList();
    }
}
