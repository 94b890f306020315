namespace NowOnline.Core.Persistence;

/// <summary>A shopper's unsaved data (a JSON object) for one storefront session; it expires Customer Data Lifetime after the last write.</summary>
public sealed class SessionDataRecord
{
    public required string SessionId { get; set; }
    public required string Json { get; set; }
    public long UpdatedAtMs { get; set; }
}
