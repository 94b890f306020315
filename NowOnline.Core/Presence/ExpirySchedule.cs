namespace NowOnline.Core.Presence;

/// <summary>
/// When online sessions are due to expire, so each tick looks only at sessions that are due. A session has at most one
/// entry (<see cref="SessionState.Queued"/> says whether it has one); an entry can be early, since activity moves the expiry
/// later without touching the queue, and the tracker re-adds a session whose entry came due too soon.
/// Not thread-safe: the tracker touches it under its lock.
/// </summary>
internal sealed class ExpirySchedule
{
    private readonly PriorityQueue<SessionState, DateTimeOffset> _queue = new();

    public int Count => _queue.Count;

    /// <summary>The earliest entry's time, if any.</summary>
    public DateTimeOffset? Next => _queue.TryPeek(out _, out var at) ? at : null;

    /// <summary>Adds the session at <paramref name="dueAt"/> unless it already has an entry.</summary>
    public void Add(SessionState session, DateTimeOffset dueAt)
    {
        if (session.Queued) return;
        session.Queued = true;
        _queue.Enqueue(session, dueAt);
    }

    /// <summary>Takes the earliest entry if it is due at <paramref name="now"/>.</summary>
    public bool TryTakeDue(DateTimeOffset now, out SessionState session)
    {
        if (_queue.TryPeek(out session!, out var dueAt) && dueAt <= now)
        {
            _queue.Dequeue();
            session.Queued = false;
            return true;
        }

        return false;
    }

    /// <summary>Drops every entry (the interval changed: the caller re-adds the sessions that are online).</summary>
    public void Clear(IEnumerable<SessionState> sessions)
    {
        _queue.Clear();
        foreach (var session in sessions) session.Queued = false;
    }
}
