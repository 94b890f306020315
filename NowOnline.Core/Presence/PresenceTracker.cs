using Microsoft.Extensions.Options;

namespace NowOnline.Core.Presence;

/// <summary>
/// Keeps every known storefront session in memory, applies the Now Online rules, expires idle
/// sessions and publishes each change of the online list to its subscribers.
/// Thread-safe: all state is guarded by one lock; callers never see a half-applied batch.
/// </summary>
public sealed partial class PresenceTracker
{
    private readonly object _gate = new();
    private readonly TimeProvider _clock;
    private readonly BotFilter _bots;
    private readonly TimeSpan _eventIdRetention;
    private readonly Dictionary<string, SessionState> _sessions = new(StringComparer.Ordinal);
    private readonly Dictionary<long, CustomerProfile> _customers = new();
    private readonly Dictionary<string, Cart> _carts = new(StringComparer.Ordinal);
    private readonly EventIdWindow _eventIds;
    private readonly ExpirySchedule _expiry = new();
    private readonly CheckpointSet _checkpoint = new();
    private TimeSpan _interval;
    private long _intervalTicks;
    private long _appliedSequence;
    private long _ignoredBots;
    private long _duplicates;
    private long _pageViews;
    private RestoredRows? _replay;
    private long _replaySequence;

    public PresenceTracker(TimeProvider clock, IOptions<PresenceOptions> options)
    {
        _clock = clock;
        _bots = new BotFilter(options.Value.IgnoredUserAgents);
        _eventIdRetention = TimeSpan.FromMinutes(options.Value.EventIdRetentionMinutes);
        _eventIds = new EventIdWindow(EventIdWindow.CapacityFor(options.Value.EventIdMemoryBudgetMegabytes));
        SetInterval(TimeSpan.FromMinutes(Settings.OnlineSettings.DefaultOnlineMinutesInterval));
    }

    private void SetInterval(TimeSpan interval)
    {
        _interval = interval;
        _intervalTicks = interval.Ticks;
    }

    /// <summary>The Online Minutes Interval currently in force.</summary>
    public TimeSpan Interval
    {
        get { lock (_gate) return _interval; }
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
                return new TrackerCounters(_rows.Count, _rows.CustomerRows, _rows.Count - _rows.CustomerRows, _sessions.Count,
                    _ignoredBots, _duplicates, _pageViews);
        }
    }

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

    private ApplyResult ApplyCore(IReadOnlyList<ActivityEvent> events, long lastSequence, IReadOnlyList<long>? sequences,
        RestoredRows? restored)
    {
        var now = _clock.GetUtcNow().UtcTicks;
        int applied = 0, duplicates = 0, bots = 0;
        lock (_gate)
        {
            for (var i = 0; i < events.Count; i++)
            {
                var activity = events[i];
                _sessions.TryGetValue(activity.SessionId, out var session);
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

                if (restored is null) ApplyOne(activity, session, now);
                else
                {
                    _replay = restored;
                    _replaySequence = sequences![i];
                    try
                    {
                        ApplyOne(activity, session, now);
                    }
                    finally
                    {
                        _replay = null;
                    }
                }

                applied++;
            }

            _ignoredBots += bots;
            _duplicates += duplicates;
            if (lastSequence > _appliedSequence) _appliedSequence = lastSequence;
            FlushChanges();
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

    private void ApplyOne(ActivityEvent activity, SessionState? session, long nowTicks)
    {
        if (activity.Type == ActivityType.PageView)
        {
            // A page view is not activity: it neither creates a session nor refreshes one.
            _pageViews++;
            return;
        }

        if (activity.Customer is { } profile && activity.Type.SignsIn())
        {
            // The last sign-in's profile wins: replaying one again is harmless, so profiles need no replay filter.
            _customers[profile.Id] = profile;
            if (_customerSessions.TryGetValue(profile.Id, out var online)) online.Profile = profile;
            _checkpoint.AddCustomer(profile.Id);
        }

        // Replay after a checkpoint cut between slices: a session row that already reflects this event reflects its cart
        // changes too (carts are written before sessions in a pass), so nothing else of the event is applied.
        if (_replay is not null && _replay.SessionReflects(activity.SessionId, _replaySequence)) return;

        if (session is null)
        {
            session = new SessionState(activity.SessionId, activity.OccurredAt);
            _sessions.Add(session.SessionId, session);
        }

        var occurredTicks = activity.OccurredAt.UtcTicks;
        var isLatest = occurredTicks >= session.LastActivityTicks;
        if (isLatest)
        {
            // Idle for the whole interval means the login is gone: the customer must sign in again.
            if (session.CustomerId is not null && session.LastActivity != DateTimeOffset.MinValue
                && occurredTicks >= session.ExpiresAtTicks(_intervalTicks))
                session.CustomerId = null;

            switch (activity.Type)
            {
                case ActivityType.Login or ActivityType.Register:
                    var customerId = activity.Customer!.Id;
                    if (session.CustomerId != customerId) MergeVisitorCart(session.SessionId, customerId);
                    session.CustomerId = customerId;
                    break;
                case ActivityType.Logout:
                    session.CustomerId = null;
                    break;
            }

            session.LastActivity = activity.OccurredAt;
            if (activity.Url is not null) session.LastUrl = activity.Url;
            // Keep the stored string when the value is equal: no new reference from an old session into a young string.
            if (activity.Store is not null && !string.Equals(session.Store, activity.Store, StringComparison.Ordinal))
                session.Store = activity.Store;
            if (activity.UserAgent is not null && !string.Equals(session.UserAgent, activity.UserAgent, StringComparison.Ordinal))
                session.UserAgent = activity.UserAgent;
            if (activity.UserAgent is not null) session.UserAgentVetted = true;
        }

        if (activity.Type.IsCartChange() && activity.Item is { } line)
            ApplyCartChange(CartOf(session), activity.Type, line);

        _checkpoint.Add(session);
        Reindex(session, nowTicks);
    }

    /// <summary>
    /// The cart a session's cart events change: its customer's while signed in, else its own. The session remembers the
    /// last cart it used, so the usual event finds it without a lookup; a cart that left or belongs to another owner
    /// (the session signed in or out since) is looked up again.
    /// </summary>
    private Cart CartOf(SessionState session)
    {
        var owner = session.CustomerId is { } id ? session.CustomerKey(id) : session.VisitorCartKey;
        if (session.LastCart is { Removed: false } known && string.Equals(known.Owner, owner, StringComparison.Ordinal)) return known;
        return session.LastCart = CartFor(owner);
    }

    private Cart CartFor(string owner)
    {
        if (_carts.TryGetValue(owner, out var cart)) return cart;
        cart = new Cart(owner);
        _carts.Add(owner, cart);
        return cart;
    }

    private void RemoveCart(string owner)
    {
        if (_replay is not null && _replay.CartReflects(owner, _replaySequence)) return;
        if (!_carts.Remove(owner, out var cart)) return;
        cart.Removed = true;
        _checkpoint.Add(cart); // written as empty at the next checkpoint, which deletes its lines
    }

    // A customer's cart key is their row key, so a session can hand out one cached string for both.
    internal static string CustomerCartKey(long customerId) => OnlineRow.CustomerKey(customerId);

    internal static string VisitorCartKey(string sessionId) => $"s:{sessionId}";

    private void ApplyCartChange(Cart cart, ActivityType type, CartLine line)
    {
        if (_replay is not null && _replay.CartReflects(cart.Owner, _replaySequence)) return;
        cart.Apply(type, line);
        _checkpoint.Add(cart);
    }

    /// <summary>A visitor who signs in keeps what they put in the cart as a guest, as a store does.</summary>
    private void MergeVisitorCart(string sessionId, long customerId)
    {
        var visitorKey = VisitorCartKey(sessionId);
        // Replay: a visitor cart that reflects this sign-in holds later lines; the merge itself is in the customer's cart.
        if (_replay is not null && _replay.CartReflects(visitorKey, _replaySequence)) return;
        if (!_carts.TryGetValue(visitorKey, out var guestCart) || guestCart.Count == 0) return;
        var customerCart = CartFor(CustomerCartKey(customerId));
        foreach (var line in guestCart.Lines) ApplyCartChange(customerCart, ActivityType.CartAdd, line);
        RemoveCart(visitorKey);
    }

    /// <summary>The cart of a customer, or of a visitor session; kept across logout and expiry.</summary>
    public IReadOnlyList<CartLine> GetCart(long? customerId, string? sessionId = null)
    {
        var owner = customerId is { } id ? CustomerCartKey(id) : VisitorCartKey(sessionId ?? "");
        lock (_gate)
            return _carts.TryGetValue(owner, out var cart) ? cart.Lines.OrderBy(l => l.Sku, StringComparer.Ordinal).ToList() : [];
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
            if (!_sessions.TryGetValue(sessionId, out var session)) return null;
            var expiresAt = session.ExpiresAt(_interval);
            var online = now < expiresAt;
            return new SessionStatus(session.SessionId, online,
                online && session.CustomerId is not null ? SessionType.Customer : SessionType.Visitor,
                online ? session.CustomerId : null, session.LastActivity, expiresAt);
        }
    }

    /// <summary>All live sessions of a customer, newest first (the detail view).</summary>
    public IReadOnlyList<SessionSnapshot> GetCustomerSessions(long customerId)
    {
        lock (_gate)
            return _customerSessions.TryGetValue(customerId, out var sessions)
                ? sessions.OrderByDescending(s => s.LastActivity).Select(s => s.ToSnapshot()).ToList()
                : [];
    }
}

public sealed record ApplyResult(int Applied, int Duplicates, int IgnoredBots);

public sealed record SessionStatus(
    string SessionId, bool Online, SessionType Type, long? CustomerId, DateTimeOffset LastActivity, DateTimeOffset ExpiresAt);

public sealed record TrackerCounters(
    int Online, int Customers, int Visitors, int KnownSessions, long IgnoredBots, long Duplicates, long PageViews);
