namespace NowOnline.Core.Presence;

// Server-side filter, sort and page: a grid asks for one page and never pulls the whole list.
public sealed partial class PresenceTracker
{
    public OnlinePage Query(OnlineQuery query)
    {
        query = query.At(_clock.GetUtcNow());
        var skip = Math.Max(0, query.Skip);
        var take = Math.Clamp(query.Take, 0, OnlineQuery.MaxTake);
        var comparer = new OnlineRowComparer(query.Sort, query.Descending);
        var wanted = (int)Math.Min((long)skip + take, int.MaxValue);

        // Keep only the best skip+take rows while scanning: O(n log k) instead of sorting every match.
        var best = new PriorityQueue<OnlineRow, OnlineRow>(Comparer<OnlineRow>.Create((a, b) => comparer.Compare(b, a)));
        int total, online, customers;
        lock (_gate)
        {
            total = 0;
            online = _rows.Count;
            customers = _customerRows;
            foreach (var row in _rows.Values)
            {
                if (!query.Matches(row)) continue;
                total++;
                if (wanted == 0) continue;
                if (best.Count < wanted) best.Enqueue(row, row);
                else if (comparer.Compare(row, best.Peek()) < 0) best.DequeueEnqueue(row, row);
            }
        }

        var ordered = new OnlineRow[best.Count];
        for (var i = ordered.Length - 1; i >= 0; i--) ordered[i] = best.Dequeue();
        var items = skip >= ordered.Length ? [] : ordered[skip..];
        return new OnlinePage(total, items, online, customers, online - customers);
    }

    /// <summary>Every row that matches, in order: for exports. Unpaged by design; callers stream it out.</summary>
    public IReadOnlyList<OnlineRow> QueryAll(OnlineQuery query)
    {
        query = query.At(_clock.GetUtcNow());
        List<OnlineRow> matches;
        lock (_gate) matches = _rows.Values.Where(query.Matches).ToList();
        matches.Sort(new OnlineRowComparer(query.Sort, query.Descending));
        return matches;
    }
}
