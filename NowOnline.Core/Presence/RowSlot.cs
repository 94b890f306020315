namespace NowOnline.Core.Presence;

/// <summary>
/// One entry of the tracker's dense row list: the values every query tests and sorts on first, inline, so a scan over
/// 100,000 rows reads one contiguous array and follows <see cref="Slot"/> only for text filters and text sorts.
/// </summary>
internal readonly record struct RowEntry(RowSlot Slot, long LastActivityTicks, long CustomerId, SessionType Type)
{
    public static RowEntry Of(RowSlot slot) => new(slot, slot.LastActivityTicks, slot.CustomerId ?? long.MinValue, slot.Type);
}

/// <summary>
/// The tracker's live, mutable copy of one online row, changed in place under the tracker's lock. Nothing outside the
/// lock ever sees a slot: readers and subscribers get an immutable <see cref="OnlineRow"/> built by <see cref="ToRow"/>
/// when they ask, so applying an event allocates no row (see docs/architecture.md, "Rows are built when read").
/// </summary>
internal sealed class RowSlot(string key, SessionType type)
{
    public string Key { get; } = key;
    public SessionType Type { get; } = type;

    /// <summary>Position in the tracker's dense list of online rows (the array queries scan).</summary>
    public int Index { get; set; }

    /// <summary>False once the row left the online list; a slot is never reused after that.</summary>
    public bool Present { get; set; } = true;

    /// <summary>True while the slot waits in the tracker's list of changes for the next flush.</summary>
    public bool Pending { get; set; }

    public string SessionId { get; private set; } = "";
    public long? CustomerId { get; private set; }
    public CustomerProfile? Profile { get; private set; }
    public long LastActivityTicks { get; private set; }
    public string? LastUrl { get; private set; }
    public string? Store { get; private set; }
    public int SessionCount { get; private set; }

    public string? FirstName => Profile?.FirstName;
    public string? LastName => Profile?.LastName;
    public string? Email => Profile?.Email;
    public string? Company => Profile?.Company;

    /// <summary>Copies the row's values; returns false when nothing changed, so a no-op is not published.</summary>
    public bool Set(SessionState session, long? customerId, CustomerProfile? profile, int sessionCount)
    {
        var ticks = session.LastActivityTicks;
        if (ReferenceEquals(SessionId, session.SessionId) && CustomerId == customerId && ReferenceEquals(Profile, profile)
            && LastActivityTicks == ticks && string.Equals(LastUrl, session.LastUrl, StringComparison.Ordinal)
            && string.Equals(Store, session.Store, StringComparison.Ordinal) && SessionCount == sessionCount)
            return false;

        SessionId = session.SessionId;
        CustomerId = customerId;
        Profile = profile;
        LastActivityTicks = ticks;
        LastUrl = session.LastUrl;
        Store = session.Store;
        SessionCount = sessionCount;
        return true;
    }

    /// <summary>A detached copy with the same values, for work done after the tracker's lock is released.</summary>
    public RowSlot Copy() => new(Key, Type)
    {
        Index = -1,
        Present = Present,
        SessionId = SessionId,
        CustomerId = CustomerId,
        Profile = Profile,
        LastActivityTicks = LastActivityTicks,
        LastUrl = LastUrl,
        Store = Store,
        SessionCount = SessionCount,
    };

    public OnlineRow ToRow() =>
        new(Key, SessionId, CustomerId, FirstName, LastName, Email, Company, new DateTimeOffset(LastActivityTicks, TimeSpan.Zero),
            Type, LastUrl, Store, SessionCount);
}
