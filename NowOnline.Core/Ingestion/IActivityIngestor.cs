using NowOnline.Core.Presence;

namespace NowOnline.Core.Ingestion;

/// <summary>
/// Durable ingestion as the web side uses it: <see cref="ActivityIngestor"/> on one SQLite node, or
/// <see cref="Cluster.ClusterIngestor"/> on several nodes sharing one PostgreSQL event log (Storage:Provider).
/// </summary>
public interface IActivityIngestor
{
    /// <summary>True after a write failed, until a write succeeds again.</summary>
    bool StorageFaulted { get; }

    /// <summary>Stores the events durably, then applies them. Throws <see cref="StorageUnavailableException"/> when storage fails.</summary>
    Task<IngestResult> SubmitAsync(IReadOnlyList<ActivityEvent> events, CancellationToken cancellationToken = default);

    /// <summary>Writes the state tables now, covering every event acknowledged so far (where this node writes them).</summary>
    Task CheckpointAsync(CancellationToken cancellationToken = default);

    /// <summary>Proves storage can be written. Returns null when it can, otherwise why not.</summary>
    Task<string?> ProbeStorageAsync(CancellationToken cancellationToken = default);

    /// <summary>Deletes one small batch of what retention allows.</summary>
    Task<RetentionResult> DeleteExpiredAsync(RetentionBatch batch, CancellationToken cancellationToken = default);
}
