namespace NowOnline.Core.Presence;

/// <summary>The tracker's mutable state of one storefront session. Only touched under the tracker's lock.</summary>
internal sealed class SessionState(string sessionId, DateTimeOffset startedAt)
{
    public string SessionId { get; } = sessionId;

    /// <summary>The session's place in the tracker's <see cref="SessionTable"/> (reused after the session is forgotten).</summary>
    public int Handle { get; init; } = -1;
    // Times are kept as UTC ticks (8 bytes, not DateTimeOffset's 16): at a million sessions every field counts.
    private long _startedAtTicks = startedAt.UtcTicks;
    private long _lastActivityTicks = DateTimeOffset.MinValue.UtcTicks;

    public DateTimeOffset StartedAt
    {
        get => new(_startedAtTicks, TimeSpan.Zero);
        set => _startedAtTicks = value.UtcTicks;
    }

    public DateTimeOffset LastActivity
    {
        get => new(_lastActivityTicks, TimeSpan.Zero);
        set => _lastActivityTicks = value.UtcTicks;
    }

    public long LastActivityTicks => _lastActivityTicks;

    public long? CustomerId { get; set; }
    public string? LastUrl { get; set; }
    public string? Store { get; set; }
    public string? UserAgent { get; set; }

    /// <summary>True when <see cref="UserAgent"/> came from an event that passed the bot filter in this process.</summary>
    public bool UserAgentVetted { get; set; }
    public bool Online { get; set; }

    /// <summary>The checkpoint pass the session is listed for, 0 when none (<see cref="CheckpointSet"/>).</summary>
    public int CheckpointEpoch { get; set; }

    /// <summary>The session as it stood when the pass being captured began, copied before a later change reached it.</summary>
    public SessionSnapshot? Captured { get; set; }

    /// <summary>True once the tracker forgot the session (offline past the data lifetime).</summary>
    public bool Forgotten { get; set; }

    /// <summary>The live-session entry of the customer this session is counted under while online, else null.</summary>
    public CustomerOnline? Customer { get; set; }

    /// <summary>The cart this session's last cart event changed (checked against the current owner before use).</summary>
    public Cart? LastCart { get; set; }

    /// <summary>True while the session has an entry in the expiry queue.</summary>
    public bool Queued { get; set; }

    /// <summary>Customer the session was counted under while online; differs from CustomerId during a transition.</summary>
    public long? IndexedCustomerId { get; set; }

    /// <summary>The session's visitor row while it is on the online list as a visitor.</summary>
    public RowSlot? VisitorSlot { get; set; }

    private string? _visitorCartKey;
    private long _keyedCustomerId;
    private string? _customerKey;

    // Keys are built once per session, not once per event: the hot path then hashes an existing string and allocates none.
    public string VisitorCartKey => _visitorCartKey ??= CartBook.VisitorKey(SessionId);

    /// <summary>The row (and cart) key <c>c:{id}</c> of a customer signed in on this session, cached for the last id asked.</summary>
    public string CustomerKey(long customerId)
    {
        if (_customerKey is null || _keyedCustomerId != customerId)
        {
            _customerKey = OnlineRow.CustomerKey(customerId);
            _keyedCustomerId = customerId;
        }

        return _customerKey;
    }

    public DateTimeOffset ExpiresAt(TimeSpan interval) =>
        LastActivity == DateTimeOffset.MinValue ? DateTimeOffset.MinValue : LastActivity + interval;

    /// <summary>Expiry as UTC ticks (<see cref="long.MinValue"/> before any activity): the hot path compares ticks.</summary>
    public long ExpiresAtTicks(long intervalTicks) =>
        _lastActivityTicks == DateTimeOffset.MinValue.UtcTicks ? long.MinValue : _lastActivityTicks + intervalTicks;

    public SessionSnapshot ToSnapshot() =>
        new(SessionId, CustomerId, StartedAt, LastActivity, LastUrl, Store, UserAgent);
}

/// <summary>A session as it is persisted and restored.</summary>
public sealed record SessionSnapshot(
    string SessionId,
    long? CustomerId,
    DateTimeOffset StartedAt,
    DateTimeOffset LastActivity,
    string? LastUrl,
    string? Store,
    string? UserAgent);
