namespace NowOnline.Core.Presence;

/// <summary>
/// Who is online: one row per signed-in customer (their most recent live session) and one per visitor session, in the
/// <see cref="OnlineRowIndex"/>, with each online session queued in the <see cref="ExpirySchedule"/>. Invariants, after
/// every <see cref="Reindex"/>: a session is <see cref="SessionState.Online"/> exactly while
/// <c>now &lt; lastActivity + interval</c> at its last reindex; an online session has an expiry entry; an online session
/// with a customer is in that customer's <see cref="CustomerOnline"/> and has no visitor row; an online session without
/// one has its visitor row. Rows live in mutable slots changed in place; an immutable <see cref="OnlineRow"/> is built only
/// when someone reads, so applying an event allocates no row. Not thread-safe: the tracker touches it under its lock.
/// </summary>
internal sealed class OnlineList(Dictionary<long, CustomerProfile> profiles)
{
    private readonly Dictionary<long, CustomerOnline> _customers = new();

    public OnlineRowIndex Rows { get; } = new();

    public ExpirySchedule Expiry { get; } = new();

    public TimeSpan Interval { get; private set; } = TimeSpan.FromMinutes(Settings.OnlineSettings.DefaultOnlineMinutesInterval);

    public long IntervalTicks => Interval.Ticks;

    /// <summary>A new interval; the caller reindexes every session (see <see cref="PresenceTracker.ChangeInterval"/>).</summary>
    public void SetInterval(TimeSpan interval, IEnumerable<SessionState> sessions)
    {
        Interval = interval;
        Expiry.Clear(sessions);
    }

    /// <summary>A sign-in brought a new profile: the customer's row shows it from its next refresh.</summary>
    public void ProfileChanged(CustomerProfile profile)
    {
        if (_customers.TryGetValue(profile.Id, out var online)) online.Profile = profile;
    }

    /// <summary>All live sessions of a customer, newest first.</summary>
    public IReadOnlyList<SessionSnapshot> SessionsOf(long customerId) =>
        _customers.TryGetValue(customerId, out var sessions)
            ? sessions.OrderByDescending(s => s.LastActivity).Select(s => s.ToSnapshot()).ToList()
            : [];

    /// <summary>Moves a session into the right place of the online list after its state changed.</summary>
    public void Reindex(SessionState session, long nowTicks)
    {
        var wasOnline = session.Online;
        var oldCustomer = session.IndexedCustomerId;
        var online = nowTicks < session.ExpiresAtTicks(IntervalTicks);
        var newCustomer = online ? session.CustomerId : null;

        // The common case, a session staying online under the same customer, keeps its place in the index.
        if (!(wasOnline && online && oldCustomer == newCustomer))
        {
            if (wasOnline && oldCustomer is { } previous) RemoveCustomerSession(previous, session);
            if (newCustomer is { } current) AddCustomerSession(current, session);
        }

        session.Online = online;
        session.IndexedCustomerId = newCustomer;
        if (online) Expiry.Add(session, session.ExpiresAt(Interval));

        if (wasOnline && oldCustomer is { } oldId && oldId != newCustomer) RefreshCustomerRow(oldId);
        if (newCustomer is { } newId) RefreshCustomerRow(newId, session.Customer);
        RefreshVisitorRow(session);
    }

    private void AddCustomerSession(long customerId, SessionState session)
    {
        if (!_customers.TryGetValue(customerId, out var online))
        {
            online = new CustomerOnline { Profile = profiles.GetValueOrDefault(customerId) };
            _customers.Add(customerId, online);
        }

        online.Add(session);
        session.Customer = online;
    }

    private void RemoveCustomerSession(long customerId, SessionState session)
    {
        session.Customer = null;
        if (!_customers.TryGetValue(customerId, out var online)) return;
        online.Remove(session);
        if (online.Count == 0) _customers.Remove(customerId);
    }

    /// <summary>Rebuilds a customer's row from their live sessions; <paramref name="known"/> saves the look-up when at hand.</summary>
    private void RefreshCustomerRow(long customerId, CustomerOnline? known = null)
    {
        if ((known ?? _customers.GetValueOrDefault(customerId)) is not { } online)
        {
            Rows.Remove(OnlineRow.CustomerKey(customerId));
            return;
        }

        var latest = online[0];
        foreach (var candidate in online)
            if (candidate.LastActivityTicks > latest.LastActivityTicks) latest = candidate;

        // The customer's row stays the same slot while any of their sessions is online: no look-up by key.
        var slot = online.Row ??= Rows.TryGet(latest.CustomerKey(customerId), out var existing)
            ? existing
            : Rows.Add(latest.CustomerKey(customerId), SessionType.Customer);
        if (slot.Set(latest, customerId, online.Profile, online.Count)) Refresh(slot, latest);
    }

    private void RefreshVisitorRow(SessionState session)
    {
        var slot = session.VisitorSlot;
        if (!session.Online || session.IndexedCustomerId is not null)
        {
            if (slot is null) return;
            session.VisitorSlot = null;
            Rows.Remove(slot.Key);
            return;
        }

        slot ??= session.VisitorSlot = Rows.Add(OnlineRow.VisitorKey(session.SessionId), SessionType.Visitor);
        if (slot.Set(session, null, null, 1)) Refresh(slot, session);
    }

    /// <summary>
    /// Refreshes the row's entry, and gives the session the row index's own string for its URL: sessions on one page then
    /// share one string, and hold an old string rather than their event's young one. The slot was just set from this
    /// session, so the two URLs are equal text.
    /// </summary>
    private void Refresh(RowSlot slot, SessionState session)
    {
        Rows.MarkChanged(slot);
        if (!ReferenceEquals(session.LastUrl, slot.LastUrl)) session.LastUrl = slot.LastUrl;
    }
}

/// <summary>The live sessions of one signed-in customer, and the customer's row while any of them is online.</summary>
internal sealed class CustomerOnline : List<SessionState>
{
    public CustomerOnline() : base(1) { }

    public RowSlot? Row { get; set; }

    /// <summary>The customer's profile, kept in step with the tracker's profiles when a sign-in brings a new one.</summary>
    public CustomerProfile? Profile { get; set; }
}
