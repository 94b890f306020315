using System.Diagnostics;

namespace NowOnline.Core.Presence;

/// <summary>
/// One entry of the tracker's dense row list: the values every query tests and sorts on, inline, so a scan reads one
/// contiguous array and never follows <see cref="Slot"/> (only ties, and the page's rows, do).
/// </summary>
/// <remarks>
/// The text columns are here as ids into the index's <see cref="RowTexts"/>, not as string references: a text filter reads
/// each column's characters once, in one array, into a bit per id, and the scan tests the row's bit. With references, each
/// row cost a cache miss per string it tested, and the text views over 1,000,000 rows took 40-60 ms of CPU (the grid-query
/// figure of bench/performance-notes.md). 56 bytes per online row.
/// </remarks>
internal readonly struct RowEntry(RowSlot slot, long lastActivityTicks, long customerId, SessionType type, RowTextIds text)
{
    // Fields, not properties: a scan reads them through a reference to the array element, without copying the entry.
    public readonly RowSlot Slot = slot;
    public readonly long LastActivityTicks = lastActivityTicks;

    /// <summary>The customer's ID, or <see cref="long.MinValue"/> for a visitor (which sorts first, as null).</summary>
    public readonly long CustomerId = customerId;
    public readonly SessionType Type = type;
    public readonly RowTextIds Text = text;

    /// <summary>The slot's current values, keeping <paramref name="text"/> (the caller refreshes the ids that changed).</summary>
    public static RowEntry Of(RowSlot slot, in RowTextIds text) =>
        new(slot, slot.LastActivityTicks, slot.CustomerId ?? long.MinValue, slot.Type, text);
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

    /// <summary>The text columns changed since the row index last refreshed the slot's entry (all of them for a new slot).</summary>
    public RowTextChanges TextChanges { get; set; } = RowTextChanges.All;

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
        var sameUrl = string.Equals(LastUrl, session.LastUrl, StringComparison.Ordinal);
        var sameStore = string.Equals(Store, session.Store, StringComparison.Ordinal);
        if (ReferenceEquals(SessionId, session.SessionId) && CustomerId == customerId && ReferenceEquals(Profile, profile)
            && LastActivityTicks == ticks && sameUrl && sameStore && SessionCount == sessionCount)
            return false;

        if (!ReferenceEquals(SessionId, session.SessionId)) TextChanges |= RowTextChanges.SessionId;
        if (!ReferenceEquals(Profile, profile)) TextChanges |= RowTextChanges.Profile;
        if (!sameStore) TextChanges |= RowTextChanges.Store;
        if (!sameUrl)
        {
            // An equal URL keeps the slot's instance (the row index's own, see ShareLastUrl).
            TextChanges |= RowTextChanges.LastUrl;
            LastUrl = session.LastUrl;
        }

        SessionId = session.SessionId;
        CustomerId = customerId;
        Profile = profile;
        LastActivityTicks = ticks;
        Store = session.Store;
        SessionCount = sessionCount;
        return true;
    }

    /// <summary>Swaps the last URL for the row index's own instance of the same text (its column looked it up by this text).</summary>
    public void ShareLastUrl(string? equal)
    {
        Debug.Assert(string.Equals(LastUrl, equal, StringComparison.Ordinal), "the column's instance of another text");
        LastUrl = equal;
    }

    public OnlineRow ToRow() =>
        new(Key, SessionId, CustomerId, FirstName, LastName, Email, Company, new DateTimeOffset(LastActivityTicks, TimeSpan.Zero),
            Type, LastUrl, Store, SessionCount);
}
