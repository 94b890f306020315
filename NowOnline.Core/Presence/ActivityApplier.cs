namespace NowOnline.Core.Presence;

/// <summary>
/// The Now Online rules for one event that passed the bot filter and de-duplication (PRODUCT.md, "Behaviour"): a page view
/// changes nothing; last activity never moves backwards; idle for the whole interval means signed out; one cart per
/// customer, a visitor's cart merged at sign-in; everything changed is listed for the next checkpoint and reindexed.
/// During a replay after a checkpoint cut between slices, effects that a restored row already holds are skipped
/// (<see cref="RestoredRows"/>). Not thread-safe: the tracker calls it under its lock.
/// </summary>
internal sealed class ActivityApplier(
    SessionTable sessions,
    CartBook carts,
    Dictionary<long, CustomerProfile> profiles,
    OnlineList online,
    CheckpointSet checkpoint)
{
    private RestoredRows? _replay;
    private long _replaySequence;

    public long PageViews { get; private set; }

    /// <summary>Keeps the warming loads of <see cref="Warm"/> observable, so the JIT cannot drop them.</summary>
    public long Touched { get; private set; }

    /// <summary>
    /// Reads, for a whole batch, what each known session's event will touch (its cart and its row, then the cart's lines and
    /// the row's place in the index), one level per pass: the loads of different events are independent, so their cache
    /// misses overlap instead of adding up one event at a time (the in-process apply figure of bench/performance-notes.md).
    /// </summary>
    public void Warm(IReadOnlyList<ActivityEvent> events, int[] handles)
    {
        var touched = 0;
        var count = events.Count;
        for (var i = 0; i < count; i++)
        {
            if (sessions.At(handles[i]) is not { } session || events[i].Type == ActivityType.PageView) continue;
            touched += (session.LastCart?.Count ?? 0) + (session.VisitorSlot?.Index ?? 0) + (session.Customer?.Count ?? 0);
        }

        var entries = online.Rows.Entries;
        for (var i = 0; i < count; i++)
        {
            if (sessions.At(handles[i]) is not { } session || events[i].Type == ActivityType.PageView) continue;
            if (events[i].Type.IsCartChange()) touched += session.LastCart?.Warm() ?? 0;
            if ((session.VisitorSlot ?? session.Customer?.Row) is { Present: true } slot) touched += entries[slot.Index].Type == SessionType.Customer ? 1 : 0;
        }

        Touched += touched;
    }

    /// <summary>Applies one event; <paramref name="session"/> is the event's session when the caller already found it.</summary>
    public void Apply(ActivityEvent activity, SessionState? session, long nowTicks)
    {
        if (activity.Type == ActivityType.PageView)
        {
            // A page view is not activity: it neither creates a session nor refreshes one.
            PageViews++;
            return;
        }

        if (activity.Customer is { } profile && activity.Type.SignsIn())
        {
            // The last sign-in's profile wins: replaying one again is harmless, so profiles need no replay filter.
            profiles[profile.Id] = profile;
            online.ProfileChanged(profile);
            checkpoint.AddCustomer(profile.Id);
        }

        // Replay after a checkpoint cut between slices: a session row that already reflects this event reflects its cart
        // changes too (carts are written before sessions in a pass), so nothing else of the event is applied.
        if (_replay is not null && _replay.SessionReflects(activity.SessionId, _replaySequence)) return;

        session ??= sessions.Add(activity.SessionId, activity.OccurredAt);
        // Listed before it changes: a checkpoint pass still capturing the session copies it first.
        checkpoint.Add(session);

        var occurredTicks = activity.OccurredAt.UtcTicks;
        if (occurredTicks >= session.LastActivityTicks)
        {
            // Idle for the whole interval means the login is gone: the customer must sign in again.
            if (session.CustomerId is not null && session.LastActivity != DateTimeOffset.MinValue
                && occurredTicks >= session.ExpiresAtTicks(online.IntervalTicks))
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
            ChangeCart(carts.Of(session), activity.Type, line);

        online.Reindex(session, nowTicks);
    }

    /// <summary>Applies one logged event of a replay, skipping what the restored rows already hold.</summary>
    public void Replay(ActivityEvent activity, SessionState? session, long nowTicks, RestoredRows restored, long sequence)
    {
        _replay = restored;
        _replaySequence = sequence;
        try
        {
            Apply(activity, session, nowTicks);
        }
        finally
        {
            _replay = null;
        }
    }

    /// <summary>Forgets a session's visitor cart with the session (the database's retention deletes it too).</summary>
    public void RemoveCart(string owner)
    {
        if (_replay is not null && _replay.CartReflects(owner, _replaySequence)) return;
        if (carts.Find(owner) is not { } cart) return;
        checkpoint.Add(cart); // written as empty at the next checkpoint: its lines go
        carts.Remove(owner);
    }

    private void ChangeCart(Cart cart, ActivityType type, CartLine line)
    {
        if (_replay is not null && _replay.CartReflects(cart.Owner, _replaySequence)) return;
        checkpoint.Add(cart);
        cart.Apply(type, line);
    }

    /// <summary>A visitor who signs in keeps what they put in the cart as a guest, as a store does.</summary>
    private void MergeVisitorCart(string sessionId, long customerId)
    {
        var visitorKey = CartBook.VisitorKey(sessionId);
        // Replay: a visitor cart that reflects this sign-in holds later lines; the merge itself is in the customer's cart.
        if (_replay is not null && _replay.CartReflects(visitorKey, _replaySequence)) return;
        if (carts.Find(visitorKey) is not { Count: > 0 } guestCart) return;
        var customerCart = carts.For(CartBook.CustomerKey(customerId));
        foreach (var line in guestCart.Lines) ChangeCart(customerCart, ActivityType.CartAdd, line);
        RemoveCart(visitorKey);
    }
}
