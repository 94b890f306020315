namespace NowOnline.Core.Presence;

/// <summary>
/// One entry of the tracker's dense row list: the values every query tests and sorts on, inline, so a scan reads one
/// contiguous array and never follows <see cref="Slot"/> (only ties, and the page's rows, do).
/// </summary>
/// <remarks>
/// The text columns are here as references, not only on the slot: a text filter then costs one cache miss per row (the
/// string, whose address the scan knows ahead, so the misses of many rows overlap) instead of a chain of two or three
/// (slot, profile, string). At 1,000,000 rows the text views took 150-210 ms with the chain (the grid-query figure of
/// bench/performance-notes.md); the four references cost 32 bytes per online row.
/// </remarks>
internal readonly record struct RowEntry(
    RowSlot Slot, long LastActivityTicks, long CustomerId, SessionType Type, string? LastUrl, CustomerProfile? Profile,
    string? Store, string SessionId)
{
    public static RowEntry Of(RowSlot slot) =>
        new(slot, slot.LastActivityTicks, slot.CustomerId ?? long.MinValue, slot.Type, slot.LastUrl, slot.Profile, slot.Store,
            slot.SessionId);
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
