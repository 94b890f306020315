namespace NowOnline.Core.Presence;

/// <summary>
/// Server-side filter, sort and page over the <see cref="OnlineRowIndex"/>: a grid asks for one page and never pulls the
/// whole list. Reads the index only; the tracker runs it under its lock.
/// </summary>
internal static class RowQuery
{
    /// <summary>
    /// Below this many rows, or when the view needs no text, one thread scans: splitting would cost more than it saves.
    /// </summary>
    internal const int ParallelScanThreshold = 16_384;

    private const int WarmBlock = 16;

    public static OnlinePage Page(OnlineRowIndex rows, OnlineQuery query, DateTimeOffset now)
    {
        var filter = new RowFilter(query.At(now));
        var skip = Math.Max(0, query.Skip);
        var take = Math.Clamp(query.Take, 0, OnlineQuery.MaxTake);
        var order = new RowOrder(query.Sort, query.Descending);
        var wanted = (int)Math.Min((long)skip + take, int.MaxValue);
        // Rows are appended as they come online, so the list runs roughly oldest to newest: for the default view
        // (newest first) scanning from the end fills the heap with the winners early, and most later rows then cost
        // one comparison with its top instead of a trip through the heap.
        var backwards = query.Sort == OnlineSortField.LastActivity && query.Descending;

        // A text filter or text sort follows a pointer per row (the string; the profile first for its columns) and is bound
        // by memory latency: the scan is split over the cores. The writer waits for the tracker's lock anyway, so the second core
        // is not taken from it; a part no pool thread picks up is run by the caller when it waits (task inlining).
        var parts = filter.ReadsText || order.ReadsText ? Math.Clamp(rows.Count / ParallelScanThreshold, 1, Environment.ProcessorCount) : 1;
        var scans = new RowScan[parts];
        var size = (rows.Count + parts - 1) / Math.Max(1, parts);
        for (var p = 0; p < parts; p++)
            scans[p] = new RowScan(rows.Entries, p * size, Math.Min(rows.Count, (p + 1) * size), backwards, filter, order, wanted);
        if (parts == 1) scans[0].Run();
        else Parallel.ForEach(scans, scan => scan.Run());

        var total = 0;
        var kept = new List<RowEntry>(Math.Min(wanted * parts, rows.Count));
        foreach (var scan in scans)
        {
            total += scan.Total;
            scan.TakeBest(kept);
        }

        kept.Sort(order);
        // Slots change under the lock, so the page's rows are built before it is released.
        var items = new OnlineRow[Math.Clamp(Math.Min(kept.Count, wanted) - skip, 0, take)];
        for (var i = 0; i < items.Length; i++) items[i] = kept[skip + i].Slot.ToRow();
        return new OnlinePage(total, items, rows.Count, rows.CustomerRows, rows.Count - rows.CustomerRows);
    }

    /// <summary>
    /// Detached copies of every row that matches, unsorted: the caller sorts them after the lock is released, not while
    /// ingestion waits.
    /// </summary>
    public static List<RowEntry> Matches(OnlineRowIndex rows, OnlineQuery query, DateTimeOffset now)
    {
        var filter = new RowFilter(query.At(now));
        var matches = new List<RowEntry>();
        var entries = rows.Entries;
        for (var i = 0; i < rows.Count; i++)
            if (filter.Matches(in entries[i])) matches.Add(RowEntry.Of(entries[i].Slot.Copy()));
        return matches;
    }

    /// <summary>One part of a query's scan: counts its matches and keeps its best skip+take of them.</summary>
    private sealed class RowScan(RowEntry[] rows, int from, int to, bool backwards, RowFilter filter, RowOrder order, int wanted)
    {
        // Keep only the best skip+take rows while scanning: O(n log k) instead of sorting every match.
        // The heap's top is the worst row kept, so a row that does not beat it costs one comparison.
        private readonly PriorityQueue<RowEntry, RowEntry> _best = new(order.Reversed);

        public int Total { get; private set; }

        /// <summary>Keeps the warming loads observable, so the JIT cannot drop them.</summary>
        public int Touched { get; private set; }

        public void Run()
        {
            var total = 0;
            var touched = 0;
            RowEntry worst = default;
            var count = to - from;
            var warm = filter.ReadsText;
            for (var n = 0; n < count; n++)
            {
                // Text tests wait on memory (profile and string, each a cache miss). Reading the next block's
                // strings in a tight loop first lets the CPU fetch them for many rows at once instead of one by one.
                if (warm && n % WarmBlock == 0)
                    for (var k = n; k < Math.Min(count, n + WarmBlock); k++)
                        touched += filter.Touch(in rows[backwards ? to - 1 - k : from + k]);

                ref readonly var row = ref rows[backwards ? to - 1 - n : from + n];
                if (!filter.Matches(row)) continue;
                total++;
                if (wanted == 0) continue;
                if (_best.Count < wanted)
                {
                    _best.Enqueue(row, row);
                    worst = _best.Peek();
                }
                else if (order.Compare(in row, in worst) < 0)
                {
                    _best.DequeueEnqueue(row, row);
                    worst = _best.Peek();
                }
            }

            Total = total;
            Touched = touched;
        }

        public void TakeBest(List<RowEntry> into)
        {
            foreach (var (row, _) in _best.UnorderedItems) into.Add(row);
        }
    }
}
