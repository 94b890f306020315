namespace NowOnline.Core.Persistence;

/// <summary>
/// Table and column names, in one place for the EF model (Configurations/) and the raw statements of the hot path
/// (<see cref="ActivityLogWriter"/>, <see cref="PresenceStateLoader"/>, <see cref="ActivityLog"/>, <see cref="SessionTimeline"/>).
/// A column is named after its property, so renaming a property renames the column in the model, the next migration and
/// every statement at once.
/// </summary>
internal static class Schema
{
    internal static class ActivityEvents
    {
        public const string Table = "ActivityEvents";
        public const string Sequence = nameof(ActivityEventRecord.Sequence);
        public const string EventId = nameof(ActivityEventRecord.EventId);
        public const string SessionId = nameof(ActivityEventRecord.SessionId);
        public const string ReceivedAtMs = nameof(ActivityEventRecord.ReceivedAtMs);
        public const string Payload = nameof(ActivityEventRecord.Payload);
    }

    /// <summary>Event id → sequence, filled at each checkpoint (exactly-once beyond the in-memory window).</summary>
    internal static class EventIds
    {
        public const string Table = "EventIds";
        public const string EventId = nameof(EventIdRecord.EventId);
        public const string Sequence = nameof(EventIdRecord.Sequence);
    }

    /// <summary>Session → sequences, filled at each checkpoint (per-session timelines).</summary>
    internal static class SessionEvents
    {
        public const string Table = "SessionEvents";
        public const string SessionId = nameof(SessionEventRecord.SessionId);
        public const string Sequence = nameof(SessionEventRecord.Sequence);
    }

    internal static class Customers
    {
        public const string Table = "Customers";
        public const string Id = nameof(CustomerRecord.Id);
        public const string FirstName = nameof(CustomerRecord.FirstName);
        public const string LastName = nameof(CustomerRecord.LastName);
        public const string Email = nameof(CustomerRecord.Email);
        public const string Company = nameof(CustomerRecord.Company);
        public const string AppliedSequence = nameof(CustomerRecord.AppliedSequence);
    }

    internal static class Sessions
    {
        public const string Table = "Sessions";
        public const string SessionId = nameof(SessionRecord.SessionId);
        public const string CustomerId = nameof(SessionRecord.CustomerId);
        public const string StartedAtMs = nameof(SessionRecord.StartedAtMs);
        public const string LastActivityMs = nameof(SessionRecord.LastActivityMs);
        public const string LastUrl = nameof(SessionRecord.LastUrl);
        public const string Store = nameof(SessionRecord.Store);
        public const string UserAgent = nameof(SessionRecord.UserAgent);
        public const string AppliedSequence = nameof(SessionRecord.AppliedSequence);
    }

    internal static class CartItems
    {
        public const string Table = "CartItems";
        public const string Owner = nameof(CartItemRecord.Owner);
        public const string Sku = nameof(CartItemRecord.Sku);
        public const string Name = nameof(CartItemRecord.Name);
        public const string Qty = nameof(CartItemRecord.Qty);
        public const string AppliedSequence = nameof(CartItemRecord.AppliedSequence);
    }

    internal static class Checkpoints
    {
        public const string Table = "Checkpoints";
        public const string Id = nameof(CheckpointRecord.Id);
        public const string Sequence = nameof(CheckpointRecord.Sequence);
    }

    internal static class StorageProbes
    {
        public const string Table = "StorageProbes";
        public const string Id = nameof(StorageProbeRecord.Id);
        public const string WrittenAtMs = nameof(StorageProbeRecord.WrittenAtMs);
    }

    internal static class SessionData
    {
        public const string Table = "SessionData";
        public const string SessionId = nameof(SessionDataRecord.SessionId);
        public const string Json = nameof(SessionDataRecord.Json);
        public const string UpdatedAtMs = nameof(SessionDataRecord.UpdatedAtMs);
    }

    public const string Settings = "Settings";
    public const string SettingsAudit = "SettingsAudit";
    public const string AdminUsers = "AdminUsers";
}
