namespace NowOnline.Core.Persistence;

/// <summary>One saved change of the Online Customers Options: who, when, and the values before and after.</summary>
public sealed class SettingsAuditRecord
{
    public long Id { get; set; }
    public long Version { get; set; }
    public long ChangedAtMs { get; set; }
    public required string ChangedBy { get; set; }
    public int OldOnlineMinutesInterval { get; set; }
    public int NewOnlineMinutesInterval { get; set; }
    public int OldCustomerDataLifetime { get; set; }
    public int NewCustomerDataLifetime { get; set; }
}
