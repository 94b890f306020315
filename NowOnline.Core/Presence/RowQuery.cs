namespace NowOnline.Core.Presence;

/// <summary>
/// Server-side filter, sort and page over the <see cref="OnlineRowIndex"/>: a grid asks for one page and never pulls the
/// whole list. Reads the index only; the tracker runs it under its lock.
/// </summary>
internal static class RowQuery
{
    /// <summary>Below this many rows one thread scans: splitting would cost more than it saves.</summary>
    internal const int ParallelScanThreshold = 16_384;

    public static OnlinePage Page(OnlineRowIndex rows, OnlineQuery query, DateTimeOffset now)
    {
        using var filter = new EntryFilter(new RowFilter(query.At(now)), rows.Text);
        var skip = Math.Max(0, query.Skip);
        var take = Math.Clamp(query.Take, 0, OnlineQuery.MaxTake);
        var order = new RowOrder(query.Sort, query.Descending, rows.Text);
        var wanted = (int)Math.Min((long)skip + take, int.MaxValue);
        // Rows are appended as they come online, so the list runs roughly oldest to newest: for the default view
        // (newest first) scanning from the end fills the heap with the winners early, and most later rows then cost
        // one comparison with its top instead of a trip through the heap.
        var backwards = query.Sort == OnlineSortField.LastActivity && query.Descending;

        // The scan reads one contiguous array and is bound by memory bandwidth and the heap: it is split over the cores.
        // The writer waits for the tracker's lock anyway, so the second core is not taken from it; a part no pool thread
        // picks up is run by the caller when it waits (task inlining).
        var parts = Math.Clamp(rows.Count / ParallelScanThreshold, 1, Environment.ProcessorCount);
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
    /// Every row that matches, unsorted, built as rows: the caller sorts them after the lock is released, not while
    /// ingestion waits.
    /// </summary>
    public static List<OnlineRow> Matches(OnlineRowIndex rows, OnlineQuery query, DateTimeOffset now)
    {
        using var filter = new EntryFilter(new RowFilter(query.At(now)), rows.Text);
        var matches = new List<OnlineRow>();
        var entries = rows.Entries;
        for (var i = 0; i < rows.Count; i++)
            if (filter.Matches(in entries[i])) matches.Add(entries[i].Slot.ToRow());
        return matches;
    }

    /// <summary>One part of a query's scan: counts its matches and keeps its best skip+take of them.</summary>
    private sealed class RowScan(RowEntry[] rows, int from, int to, bool backwards, EntryFilter filter, RowOrder order, int wanted)
    {
        // Keep only the best skip+take rows while scanning: O(n log k) instead of sorting every match. The heap holds
        // positions in the array, not 56-byte entries, and compares without a delegate: with a PriorityQueue of entries
        // the heap's own work was most of the email view's scan (bench/performance-notes.md, "Grid query").
        private readonly int[] _heap = new int[Math.Min(wanted, to - from)];
        private int _count;

        public int Total { get; private set; }

        public void Run()
        {
            var total = 0;
            var count = to - from;
            var capacity = _heap.Length;
            for (var n = 0; n < count; n++)
            {
                var position = backwards ? to - 1 - n : from + n;
                ref readonly var row = ref rows[position];
                if (!filter.Matches(row)) continue;
                total++;
                if (_count < capacity) Push(position);
                // The heap's top is the worst row kept, so a row that does not beat it costs one comparison.
                else if (capacity > 0 && order.Compare(in row, in rows[_heap[0]]) < 0) ReplaceTop(position);
            }

            Total = total;
        }

        public void TakeBest(List<RowEntry> into)
        {
            for (var i = 0; i < _count; i++) into.Add(rows[_heap[i]]);
        }

        // A binary heap whose parent is never better than its children (the worst row on top).
        private void Push(int position)
        {
            var at = _count++;
            while (at > 0)
            {
                var parent = (at - 1) >> 1;
                if (order.Compare(in rows[_heap[parent]], in rows[position]) >= 0) break;
                _heap[at] = _heap[parent];
                at = parent;
            }

            _heap[at] = position;
        }

        private void ReplaceTop(int position)
        {
            var at = 0;
            while (true)
            {
                var child = 2 * at + 1;
                if (child >= _count) break;
                if (child + 1 < _count && order.Compare(in rows[_heap[child + 1]], in rows[_heap[child]]) > 0) child++;
                if (order.Compare(in rows[_heap[child]], in rows[position]) <= 0) break;
                _heap[at] = _heap[child];
                at = child;
            }

            _heap[at] = position;
        }
    }
}
