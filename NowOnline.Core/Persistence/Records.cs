namespace NowOnline.Core.Persistence;

// Table rows. Times are stored as UTC Unix milliseconds so SQLite can compare and index them.

public sealed class CustomerRecord
{
    public long Id { get; set; }
    public string? FirstName { get; set; }
    public string? LastName { get; set; }
    public string? Email { get; set; }
    public string? Company { get; set; }

    /// <summary>The log sequence this row reflects (see <see cref="SessionRecord.AppliedSequence"/>).</summary>
    public long AppliedSequence { get; set; }
}

public sealed class SessionRecord
{
    public required string SessionId { get; set; }
    public long? CustomerId { get; set; }
    public long StartedAtMs { get; set; }
    public long LastActivityMs { get; set; }
    public string? LastUrl { get; set; }
    public string? Store { get; set; }
    public string? UserAgent { get; set; }

    /// <summary>
    /// The log sequence this row reflects: every event up to it, none after. The checkpoint is written in slices
    /// (ADR-003), so rows of one table may reflect different sequences; replay at start skips what a row already holds.
    /// </summary>
    public long AppliedSequence { get; set; }
}

public sealed class CartItemRecord
{
    public required string Owner { get; set; }
    public required string Sku { get; set; }
    public string? Name { get; set; }
    public int Qty { get; set; }

    /// <summary>The log sequence the line's cart reflects (every line of a cart carries the same one).</summary>
    public long AppliedSequence { get; set; }
}

public sealed class SettingsRecord
{
    public int Id { get; set; } = 1;
    public int OnlineMinutesInterval { get; set; }
    public int CustomerDataLifetime { get; set; }
    public long Version { get; set; }
    public long UpdatedAtMs { get; set; }
    public string? UpdatedBy { get; set; }
}

/// <summary>The durable event log: an event is acknowledged once its row is committed.</summary>
public sealed class ActivityEventRecord
{
    public long Sequence { get; set; }
    public string? EventId { get; set; }
    public string? SessionId { get; set; }
    public long ReceivedAtMs { get; set; }
    public required string Payload { get; set; }
}

/// <summary>The log position up to which the state tables reflect every event.</summary>
public sealed class CheckpointRecord
{
    public int Id { get; set; } = 1;
    public long Sequence { get; set; }
}

/// <summary>The row the storage health probe rewrites to prove the database can still be written.</summary>
public sealed class StorageProbeRecord
{
    public int Id { get; set; } = 1;
    public long WrittenAtMs { get; set; }
}

/// <summary>
/// The event id look-up: one row per logged event id, filed from the log at each checkpoint so that a commit only appends
/// to ActivityEvents. Written and read by raw statements only (<see cref="ActivityLogWriter"/>); mapped so that migrations
/// know the table.
/// </summary>
public sealed class EventIdRecord
{
    public required string EventId { get; set; }
    public long Sequence { get; set; }
}

/// <summary>The per-session timeline look-up, filed from the log at each checkpoint (see <see cref="EventIdRecord"/>).</summary>
public sealed class SessionEventRecord
{
    public required string SessionId { get; set; }
    public long Sequence { get; set; }
}
