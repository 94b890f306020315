namespace NowOnline.Core.Presence;

/// <summary>The tracker's mutable state of one storefront session. Only touched under the tracker's lock.</summary>
internal sealed class SessionState(string sessionId, DateTimeOffset startedAt)
{
    public string SessionId { get; } = sessionId;
    public DateTimeOffset StartedAt { get; set; } = startedAt;
    public DateTimeOffset LastActivity { get; set; } = DateTimeOffset.MinValue;
    public long? CustomerId { get; set; }
    public string? LastUrl { get; set; }
    public string? Store { get; set; }
    public string? UserAgent { get; set; }
    public bool Online { get; set; }

    /// <summary>True while the session has an entry in the expiry queue.</summary>
    public bool Queued { get; set; }

    /// <summary>Customer the session was counted under while online; differs from CustomerId during a transition.</summary>
    public long? IndexedCustomerId { get; set; }

    public DateTimeOffset ExpiresAt(TimeSpan interval) =>
        LastActivity == DateTimeOffset.MinValue ? DateTimeOffset.MinValue : LastActivity + interval;

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
