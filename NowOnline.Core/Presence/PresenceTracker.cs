using Microsoft.Extensions.Options;

namespace NowOnline.Core.Presence;

/// <summary>
/// Keeps every known storefront session in memory, applies the Now Online rules, expires idle
/// sessions and publishes each change of the online list to its subscribers.
/// Thread-safe: all state is guarded by one lock; callers never see a half-applied batch.
/// </summary>
/// <remarks>
/// A thin owner of small types, each with its own invariants: the sessions by id and handle (<see cref="SessionTable"/>),
/// the carts (<see cref="CartBook"/>), the rules (<see cref="ActivityApplier"/>), who is online (<see cref="OnlineList"/>:
/// rows and expiry schedule), the change feed (<see cref="ChangeFeed"/>), what the next checkpoint writes
/// (<see cref="CheckpointSet"/>), the recent event ids (<see cref="EventIdWindow"/>) and the query (<see cref="RowQuery"/>).
/// This class holds the lock, the counters and the order of the steps.
/// </remarks>
public sealed class PresenceTracker
{
    /// <summary>
    /// Most sessions expired or forgotten under one hold of the lock. A mass expiry (100,000 sessions idle since the same
    /// moment) is taken off in slices, releasing the lock between them, so ingestion and queries wait for one slice, not
    /// all (the mass-expiry figure of bench/performance-notes.md: one hold for 100,000 sessions took 129 ms).
    /// </summary>
    internal const int ExpirySlice = 1000;

    private readonly object _gate = new();
    private readonly TimeProvider _clock;
    private readonly BotFilter _bots;
    private readonly TimeSpan _eventIdRetention;
    private readonly SessionTable _sessions = new();
    private readonly Dictionary<long, CustomerProfile> _customers = new();
    private readonly CartBook _carts = new();
    private readonly EventIdWindow _eventIds;
    private readonly CheckpointSet _checkpoint = new();
    private readonly OnlineList _online;
    private readonly ChangeFeed _feed = new();
    private readonly ActivityApplier _applier;
    private int[] _resolved = new int[128]; // session handles of the batch's events (SessionTable.Resolve)
    private int[] _hashes = new int[128];
    private long _appliedSequence;
    private long _ignoredBots;
    private long _duplicates;

    public PresenceTracker(TimeProvider clock, IOptions<PresenceOptions> options)
    {
        _clock = clock;
        _bots = new BotFilter(options.Value.IgnoredUserAgents);
        _eventIdRetention = TimeSpan.FromMinutes(options.Value.EventIdRetentionMinutes);
        _eventIds = new EventIdWindow(EventIdWindow.CapacityFor(options.Value.EventIdMemoryBudgetMegabytes));
        _online = new OnlineList(_customers);
        _applier = new ActivityApplier(_sessions, _carts, _customers, _online, _checkpoint);
    }

    /// <summary>The Online Minutes Interval currently in force.</summary>
    public TimeSpan Interval
    {
        get { lock (_gate) return _online.Interval; }
    }

    public TimeProvider Clock => _clock;

    /// <summary>Sequence number of the last durably logged event that was applied.</summary>
    public long AppliedSequence
    {
        get { lock (_gate) return _appliedSequence; }
    }

    public TrackerCounters Counters
    {
        get
        {
            lock (_gate)
            {
                var rows = _online.Rows;
                return new TrackerCounters(rows.Count, rows.CustomerRows, rows.Count - rows.CustomerRows, _sessions.Count,
                    _ignoredBots, _duplicates, _applier.PageViews);
            }
        }
    }

    // ---- Ingestion: de-duplication, bots, the rules ----

    /// <summary>For each id (null: none), whether it was already applied, all under one hold of the lock.</summary>
    public bool[] KnownEvents(IEnumerable<string?> eventIds)
    {
        var ids = eventIds as IReadOnlyCollection<string?> ?? eventIds.ToList();
        var known = new bool[ids.Count];
        var i = 0;
        lock (_gate)
            foreach (var id in ids)
                known[i++] = id is not null && _eventIds.Contains(id);
        return known;
    }

    /// <summary>True when the storefront's user agent is on the ignore list.</summary>
    public bool IsBot(string? userAgent) => _bots.Matches(userAgent);

    /// <summary>
    /// Applies a batch of events atomically with respect to readers and subscribers.
    /// <paramref name="lastSequence"/> is the durable log position of the batch's last event (0 when not logged).
    /// </summary>
    public ApplyResult Apply(IReadOnlyList<ActivityEvent> events, long lastSequence = 0) =>
        ApplyCore(events, lastSequence, null, null);

    /// <summary>
    /// Replays logged events after <see cref="Restore"/> when some state rows reflect a later log position than the state's
    /// sequence (a checkpoint pass cut between two of its slices): each event's effect on a row that already reflects it
    /// is skipped. <paramref name="sequences"/> gives each event's log sequence, in ascending order.
    /// </summary>
    internal ApplyResult Replay(IReadOnlyList<ActivityEvent> events, IReadOnlyList<long> sequences, RestoredRows restored) =>
        ApplyCore(events, sequences.Count == 0 ? 0 : sequences[^1], sequences, restored);

    private ApplyResult ApplyCore(IReadOnlyList<ActivityEvent> events, long lastSequence, IReadOnlyList<long>? sequences,
        RestoredRows? restored)
    {
        var now = _clock.GetUtcNow().UtcTicks;
        int applied = 0, duplicates = 0, bots = 0;
        lock (_gate)
        {
            if (_resolved.Length < events.Count)
            {
                _resolved = new int[events.Count];
                _hashes = new int[events.Count];
            }

            // The whole batch's sessions first, their look-ups overlapping (SessionTable.Resolve).
            _sessions.Resolve(events, _resolved, _hashes);
            _applier.Warm(events, _resolved);
            for (var i = 0; i < events.Count; i++)
            {
                var activity = events[i];
                // A session that an earlier event of this batch created was not there when the batch was resolved.
                var session = _sessions.At(_resolved[i]) ?? _sessions.Find(activity.SessionId);
                if (IsBot(activity.UserAgent, session))
                {
                    bots++;
                    continue;
                }

                if (activity.EventId is { } id && !_eventIds.Remember(id, now))
                {
                    duplicates++;
                    continue;
                }

                if (restored is null) _applier.Apply(activity, session, now);
                else _applier.Replay(activity, session, now, restored, sequences![i]);
                applied++;
            }

            _ignoredBots += bots;
            _duplicates += duplicates;
            if (lastSequence > _appliedSequence) _appliedSequence = lastSequence;
            _feed.Flush(_online.Rows);
        }

        return new ApplyResult(applied, duplicates, bots);
    }

    /// <summary>Counts events the writer dropped before they reached <see cref="Apply"/>.</summary>
    public void CountDropped(int ignoredBots, int duplicates)
    {
        lock (_gate)
        {
            _ignoredBots += ignoredBots;
            _duplicates += duplicates;
        }
    }

    /// <summary>
    /// A user agent already stored on the event's session passed the filter when it was stored (the patterns never
    /// change while the tracker lives), so the usual event skips the pattern scan: one string comparison instead.
    /// </summary>
    private bool IsBot(string? userAgent, SessionState? session) =>
        !(session is { UserAgentVetted: true } && string.Equals(session.UserAgent, userAgent, StringComparison.Ordinal))
        && _bots.Matches(userAgent);

    // ---- Reads ----

    /// <summary>One filtered, sorted page of the online list (see <see cref="RowQuery"/>).</summary>
    public OnlinePage Query(OnlineQuery query)
    {
        var now = _clock.GetUtcNow();
        lock (_gate) return RowQuery.Page(_online.Rows, query, now);
    }

    /// <summary>Every row that matches, in order: for exports. Unpaged by design; callers stream it out.</summary>
    public IReadOnlyList<OnlineRow> QueryAll(OnlineQuery query)
    {
        var now = _clock.GetUtcNow();
        List<OnlineRow> matches;
        lock (_gate) matches = RowQuery.Matches(_online.Rows, query, now);
        matches.Sort(new RowOrder(query.Sort, query.Descending));
        return matches;
    }

    /// <summary>
    /// Subscribes to the change feed. The subscription starts with the current list, taken atomically
    /// with registration, so no change falls between the snapshot and the first delivered change.
    /// </summary>
    public PresenceSubscription Subscribe()
    {
        lock (_gate) return _feed.Subscribe(_online.Rows, Unsubscribe);
    }

    public int SubscriberCount
    {
        get { lock (_gate) return _feed.Count; }
    }

    private void Unsubscribe(PresenceSubscription subscription)
    {
        lock (_gate) _feed.Remove(subscription);
    }

    /// <summary>A session as the tracker knows it now (online or not), or null when it is unknown.</summary>
    public SessionSnapshot? GetSessionSnapshot(string sessionId)
    {
        lock (_gate) return _sessions.Find(sessionId)?.ToSnapshot();
    }

    /// <summary>The online row with this key (<c>c:{id}</c> or <c>v:{sessionId}</c>), or null when it is not online.</summary>
    public OnlineRow? GetRow(string key)
    {
        lock (_gate) return _online.Rows.TryGet(key, out var slot) ? slot.ToRow() : null;
    }

    /// <summary>The cart of a customer, or of a visitor session; kept across logout and expiry.</summary>
    public IReadOnlyList<CartLine> GetCart(long? customerId, string? sessionId = null)
    {
        var owner = customerId is { } id ? CartBook.CustomerKey(id) : CartBook.VisitorKey(sessionId ?? "");
        lock (_gate) return _carts.LinesOf(owner);
    }

    public CustomerProfile? GetCustomer(long customerId)
    {
        lock (_gate) return _customers.GetValueOrDefault(customerId);
    }

    /// <summary>Whether a session is online and when it expires, for the storefront.</summary>
    public SessionStatus? GetSession(string sessionId)
    {
        var now = _clock.GetUtcNow();
        lock (_gate)
        {
            if (_sessions.Find(sessionId) is not { } session) return null;
            var expiresAt = session.ExpiresAt(_online.Interval);
            var online = now < expiresAt;
            return new SessionStatus(session.SessionId, online,
                online && session.CustomerId is not null ? SessionType.Customer : SessionType.Visitor,
                online ? session.CustomerId : null, session.LastActivity, expiresAt);
        }
    }

    /// <summary>All live sessions of a customer, newest first (the detail view).</summary>
    public IReadOnlyList<SessionSnapshot> GetCustomerSessions(long customerId)
    {
        lock (_gate) return _online.SessionsOf(customerId);
    }

    // ---- Expiry and upkeep ----

    /// <summary>When the next session is due to expire, if any is online.</summary>
    public DateTimeOffset? NextExpiry
    {
        get { lock (_gate) return _online.Expiry.Next; }
    }

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
            var expiry = _online.Expiry;
            while (visited < ExpirySlice && expiry.TryTakeDue(now, out var session))
            {
                visited++;
                if (!session.Online) continue;

                var expiresAt = session.ExpiresAt(_online.Interval);
                if (expiresAt > now)
                {
                    // Activity moved the expiry later since this entry was queued.
                    expiry.Add(session, expiresAt);
                    continue;
                }

                _online.Reindex(session, now.UtcTicks);
                expired++;
            }

            _feed.Flush(_online.Rows);
            return (expired, expiry.Next <= now);
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
            if (interval == _online.Interval) return;
            _online.SetInterval(interval, _sessions.All);
            foreach (var session in _sessions.All) _online.Reindex(session, now.UtcTicks);
            _feed.Flush(_online.Rows);
        }
    }

    /// <summary>
    /// Forgets sessions that have been offline longer than <paramref name="keepFor"/> and old event ids. Like expiry, in
    /// slices of <see cref="ExpirySlice"/> under one hold of the lock each: a day of stale sessions, or a window of ids that
    /// all age out together, is not one pause for ingestion (issue 14: no request may wait 100 ms behind bulk upkeep).
    /// </summary>
    public int ForgetStale(TimeSpan keepFor)
    {
        var now = _clock.GetUtcNow();
        var before = now - keepFor;
        List<SessionState> stale;
        // One pass to find them: reading a field per session, no change.
        lock (_gate) stale = _sessions.All.Where(s => !s.Online && s.LastActivity < before).ToList();

        var forgotten = 0;
        for (var from = 0; from < stale.Count; from += ExpirySlice)
        {
            lock (_gate)
                foreach (var session in stale.Skip(from).Take(ExpirySlice))
                {
                    // Came back (or was replaced) since the pass that found it: kept.
                    if (session.Online || session.LastActivity >= before || session.Forgotten) continue;
                    if (!_sessions.Remove(session)) continue;
                    _checkpoint.BeforeChange(session); // a pass still capturing it keeps it as it was
                    session.Forgotten = true;
                    // The database's retention deletes a forgotten visitor's cart too; memory matches it.
                    _applier.RemoveCart(session.VisitorCartKey);
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

    // ---- Checkpoints and restore ----

    /// <summary>
    /// Takes the state changed since the last checkpoint whole, consistent with <see cref="PresenceCheckpoint.Sequence"/>:
    /// every logged event up to that sequence is reflected, none after it (the cluster's checkpoint; the single node's
    /// writer captures its passes lazily, <see cref="BeginCheckpointPass"/>).
    /// </summary>
    public PresenceCheckpoint TakeCheckpoint()
    {
        lock (_gate) return _checkpoint.Take(_appliedSequence, id => _customers.GetValueOrDefault(id));
    }

    /// <summary>
    /// Starts a checkpoint pass at the applied sequence without copying anything: the lock is held for a swap of the change
    /// lists, the pass's members are put in key order on a pool thread, and each row is copied under the lock as its slice
    /// is captured, or before a later change reaches it (<see cref="CheckpointSet"/>). One pass at a time.
    /// </summary>
    internal CheckpointPass BeginCheckpointPass()
    {
        CheckpointMembers members;
        lock (_gate) members = _checkpoint.Begin(_appliedSequence);
        return new LivePass(this, members);
    }

    /// <summary>Puts a checkpoint that could not be written back into the dirty sets, to be retried.</summary>
    public void ReturnCheckpoint(PresenceCheckpoint checkpoint)
    {
        lock (_gate)
        {
            foreach (var snapshot in checkpoint.Sessions)
                if (_sessions.Find(snapshot.SessionId) is { } session) _checkpoint.Add(session);
            foreach (var customer in checkpoint.Customers) _checkpoint.AddCustomer(customer.Id);
            foreach (var cart in checkpoint.Carts)
                _checkpoint.Add(_carts.Find(cart.Owner) ?? new Cart(cart.Owner) { Removed = true });
        }
    }

    private sealed class LivePass : CheckpointPass
    {
        private readonly PresenceTracker _tracker;
        private readonly CheckpointMembers _members;
        private readonly Task _ordered;

        public LivePass(PresenceTracker tracker, CheckpointMembers members)
        {
            _tracker = tracker;
            _members = members;
            // Sorting 83,614 sessions took 132-236 ms on the writer's thread, a stall for every request behind it
            // ("Where the paced tail comes from" in bench/performance-notes.md); the writer commits on meanwhile.
            _ordered = members.IsEmpty ? Task.CompletedTask : Task.Run(members.PutInOrder);
        }

        public override long Sequence => _members.Sequence;
        public override bool IsEmpty => _members.IsEmpty;
        public override bool Ready => _ordered.IsCompleted;
        public override bool Captured => _ordered.IsCompleted && _members.Captured;
        // Waits whatever the outcome: a failed ordering surfaces in CaptureNext, inside the writer's slice, which gives the
        // pass back.
        public override void WaitReady() => _ordered.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing).GetAwaiter().GetResult();

        public override void CaptureNext(int rows, CheckpointSlice slice)
        {
            _ordered.GetAwaiter().GetResult();
            var tracker = _tracker;
            lock (tracker._gate) tracker._checkpoint.Capture(_members, rows, slice, id => tracker._customers.GetValueOrDefault(id));
        }

        public override void GiveBack()
        {
            // Also when ordering failed: the members are then given back unordered (AllSessions).
            WaitReady();
            var tracker = _tracker;
            lock (tracker._gate)
                tracker._checkpoint.GiveBack(_members, cart => cart.Removed ? tracker._carts.Find(cart.Owner) ?? cart : cart);
        }
    }

    /// <summary>
    /// Lists every session, customer and cart for the next <see cref="TakeCheckpoint"/>. A node that takes over the
    /// checkpoint from another (ADR-007) has discarded its own change sets until then (the other node wrote them), so its
    /// first checkpoint must be whole to be consistent with the sequence it names.
    /// </summary>
    public void MarkAllForCheckpoint()
    {
        lock (_gate)
        {
            foreach (var session in _sessions.All) _checkpoint.Add(session);
            foreach (var customerId in _customers.Keys) _checkpoint.AddCustomer(customerId);
            foreach (var cart in _carts.All) _checkpoint.Add(cart);
        }
    }

    /// <summary>Loads persisted state at start, before any event is applied.</summary>
    public void Restore(PresenceState state)
    {
        var now = _clock.GetUtcNow().UtcTicks;
        lock (_gate)
        {
            foreach (var customer in state.Customers) _customers[customer.Id] = customer;
            foreach (var cart in state.Carts) _carts.Restore(cart);
            foreach (var seen in state.EventIds) _eventIds.Remember(seen.EventId, seen.SeenAt.UtcTicks);
            foreach (var snapshot in state.Sessions)
            {
                if (_sessions.Find(snapshot.SessionId) is { } earlier) _sessions.Remove(earlier);
                var session = _sessions.Add(snapshot.SessionId, snapshot.StartedAt);
                session.CustomerId = snapshot.CustomerId;
                session.LastActivity = snapshot.LastActivity;
                session.LastUrl = snapshot.LastUrl;
                session.Store = snapshot.Store;
                session.UserAgent = snapshot.UserAgent;
                _online.Reindex(session, now);
            }

            _appliedSequence = Math.Max(_appliedSequence, state.Sequence);
            _online.Rows.ClearChanges();
        }
    }
}

public sealed record ApplyResult(int Applied, int Duplicates, int IgnoredBots);

public sealed record SessionStatus(
    string SessionId, bool Online, SessionType Type, long? CustomerId, DateTimeOffset LastActivity, DateTimeOffset ExpiresAt);

public sealed record TrackerCounters(
    int Online, int Customers, int Visitors, int KnownSessions, long IgnoredBots, long Duplicates, long PageViews);
