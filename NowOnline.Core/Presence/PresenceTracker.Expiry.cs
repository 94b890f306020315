namespace NowOnline.Core.Presence;

// Expiry is driven by the schedule of expiry times (ExpirySchedule): each tick looks only at sessions that are due.
public sealed partial class PresenceTracker
{
    /// <summary>When the next session is due to expire, if any is online.</summary>
    public DateTimeOffset? NextExpiry
    {
        get
        {
            lock (_gate) return _expiry.Next;
        }
    }

    /// <summary>
    /// Most sessions expired under one hold of the lock. A mass expiry (100,000 sessions idle since the same moment)
    /// is taken off in slices, releasing the lock between them, so ingestion and queries wait for one slice, not all.
    /// </summary>
    internal const int ExpirySlice = 1000;

    /// <summary>Takes every session whose interval has run out off the online list. Returns how many left.</summary>
    public int ExpireDue()
    {
        var now = _clock.GetUtcNow();
        var expired = 0;
        while (true)
        {
            var (slice, more) = ExpireSlice(now);
            expired += slice;
            if (!more) return expired;
            Thread.Yield(); // let a writer or a grid waiting on the lock in before the next slice
        }
    }

    private (int Expired, bool More) ExpireSlice(DateTimeOffset now)
    {
        var expired = 0;
        var visited = 0;
        lock (_gate)
        {
            while (visited < ExpirySlice && _expiry.TryTakeDue(now, out var session))
            {
                visited++;
                if (!session.Online) continue;

                var expiresAt = session.ExpiresAt(_interval);
                if (expiresAt > now)
                {
                    // Activity moved the expiry later since this entry was queued.
                    _expiry.Add(session, expiresAt);
                    continue;
                }

                Reindex(session, now.UtcTicks);
                expired++;
            }

            FlushChanges();
            return (expired, _expiry.Next <= now);
        }
    }

    /// <summary>
    /// Applies a new Online Minutes Interval at once: sessions beyond it leave the list, sessions
    /// within it come back, and the expiry schedule is rebuilt.
    /// </summary>
    public void ChangeInterval(TimeSpan interval)
    {
        if (interval <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(interval));
        var now = _clock.GetUtcNow();
        lock (_gate)
        {
            if (interval == _interval) return;
            SetInterval(interval);
            _expiry.Clear(_sessions.Values);
            foreach (var session in _sessions.Values) Reindex(session, now.UtcTicks);
            FlushChanges();
        }
    }

    /// <summary>
    /// Forgets sessions that have been offline longer than <paramref name="keepFor"/> and old event ids. Like expiry, in
    /// slices of <see cref="ExpirySlice"/> under one hold of the lock each: a day of stale sessions, or a window of ids that
    /// all age out together, is not one pause for ingestion (issue 14: no request may wait 100 ms behind bulk upkeep). Not
    /// measured on its own: it follows the mass-expiry figure of the performance notes, where one hold for 100,000 sessions
    /// took 129 ms and slices of 1,000 kept ingestion's p99 within 1.4x.
    /// </summary>
    public int ForgetStale(TimeSpan keepFor)
    {
        var now = _clock.GetUtcNow();
        var before = now - keepFor;
        List<SessionState> stale;
        // One pass to find them: reading a field per session, no change.
        lock (_gate) stale = _sessions.Values.Where(s => !s.Online && s.LastActivity < before).ToList();

        var forgotten = 0;
        for (var from = 0; from < stale.Count; from += ExpirySlice)
        {
            lock (_gate)
                foreach (var session in stale.Skip(from).Take(ExpirySlice))
                {
                    // Came back (or was replaced) since the pass that found it: kept.
                    if (session.Online || session.LastActivity >= before) continue;
                    if (!_sessions.TryGetValue(session.SessionId, out var current) || !ReferenceEquals(current, session)) continue;
                    _sessions.Remove(session.SessionId);
                    session.Forgotten = true;
                    // The database's retention deletes a forgotten visitor's cart too; memory matches it.
                    RemoveCart(VisitorCartKey(session.SessionId));
                    forgotten++;
                }

            Thread.Yield();
        }

        var idsBefore = (now - _eventIdRetention).UtcTicks;
        while (true)
        {
            lock (_gate)
                if (_eventIds.ForgetBefore(idsBefore, ExpirySlice)) break;
            Thread.Yield();
        }

        return forgotten;
    }
}
