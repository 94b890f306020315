namespace NowOnline.Core.Presence;

/// <summary>
/// The event ids applied last, exactly (no false positives: a "seen" answer drops an event). Oldest first out: an id
/// leaves when it is older than the retention, or when the window holds <see cref="Capacity"/> ids, so its memory is
/// bounded whatever the traffic. On SQLite the writer answers repeats before it stores an event (its fingerprint filter in
/// front of the durable event-id index, ActivityLogWriter), also after a restart; this window keeps a direct
/// <see cref="PresenceTracker.Apply"/> exactly-once and, on several nodes, drops the later of two copies of one id that two
/// nodes appended at the same moment, so it needs only the last moments: 1/8 of the budget.
/// Not thread-safe: the tracker touches it under its lock.
/// </summary>
internal sealed class EventIdWindow(int capacity)
{
    // Value: when the id was remembered; the queue holds the same pairs in that order, so the oldest leaves first.
    private readonly Dictionary<string, long> _ids = new(StringComparer.Ordinal);
    private readonly Queue<(string Id, long AtTicks)> _order = new();

    /// <summary>Most ids held at once (from <c>Presence:EventIdMemoryBudgetMegabytes</c>).</summary>
    public int Capacity { get; } = capacity > 0 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity));

    public int Count => _ids.Count;

    public bool Contains(string id) => _ids.ContainsKey(id);

    /// <summary>Adds the id; false when it is already in the window (a duplicate).</summary>
    public bool Remember(string id, long atTicks)
    {
        if (!_ids.TryAdd(id, atTicks)) return false;
        _order.Enqueue((id, atTicks));
        while (_ids.Count > Capacity) ForgetOldest();
        return true;
    }

    /// <summary>
    /// Forgets ids remembered before <paramref name="ticks"/>, at most <paramref name="most"/> of them; true when none older
    /// is left.
    /// </summary>
    public bool ForgetBefore(long ticks, int most = int.MaxValue)
    {
        for (var n = 0; n < most; n++)
        {
            if (!_order.TryPeek(out var oldest) || oldest.AtTicks >= ticks) return true;
            ForgetOldest();
        }

        return !_order.TryPeek(out var next) || next.AtTicks >= ticks;
    }

    private void ForgetOldest()
    {
        var (id, at) = _order.Dequeue();
        // Only the entry that put the id in: an id forgotten and remembered again has a later entry further back.
        if (_ids.TryGetValue(id, out var current) && current == at) _ids.Remove(id);
    }

    /// <summary>
    /// Ids that fit in the tracker's share of a budget of <paramref name="megabytes"/> (<see cref="PresenceOptions"/>): about
    /// 160 bytes each (a 32-character id string 90, its dictionary entry 32 and queue entry 16, plus the tables' spare capacity).
    /// </summary>
    public static int CapacityFor(int megabytes) =>
        (int)Math.Min(int.MaxValue / 2, Math.Max(1, PresenceOptions.EventIdWindowBytes(megabytes) / BytesPerId));

    internal const int BytesPerId = 160;
}
