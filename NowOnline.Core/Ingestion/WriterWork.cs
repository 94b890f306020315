using System.Threading.Channels;
using NowOnline.Core.Presence;

namespace NowOnline.Core.Ingestion;

/// <summary>Work queued for the single writer; each item carries the completion its caller awaits.</summary>
internal abstract class WriterWork;

/// <summary>One request's events, encoded on the request thread into one rented buffer.</summary>
internal sealed class EventBatch : WriterWork
{
    private byte[]? _payloads;

    public EventBatch(IReadOnlyList<ActivityEvent> events, Func<string?, bool>? isBot)
    {
        Events = StoredEvent.Encode(events, isBot, out var rented);
        _payloads = rented;
    }

    /// <summary>The events; their <see cref="StoredEvent.Payload"/> may be read only until <see cref="ReleasePayloads"/>.</summary>
    public StoredEvent[] Events { get; }

    public TaskCompletionSource<IngestResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// Queues the events for a writer (SQLite's or the cluster's) and waits for their commit. A queue closed for shutdown
    /// answers <see cref="StorageUnavailableException"/>: nothing of the request was stored.
    /// </summary>
    public static async Task<IngestResult> SubmitAsync<TWork>(
        ChannelWriter<TWork> queue, IReadOnlyList<ActivityEvent> events, Func<string?, bool>? isBot, CancellationToken cancellationToken)
        where TWork : WriterWork
    {
        var batch = new EventBatch(events, isBot);
        try
        {
            await queue.WriteAsync((TWork)(WriterWork)batch, cancellationToken);
        }
        catch (ChannelClosedException ex)
        {
            throw new StorageUnavailableException("The service is shutting down; nothing was stored.", ex);
        }

        return await batch.Completion.Task.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Gives the payloads' buffer back to the pool: called by the writer once the batch's commit is over (committed or
    /// failed), after which nothing reads a payload. Idempotent.
    /// </summary>
    public void ReleasePayloads()
    {
        if (Interlocked.Exchange(ref _payloads, null) is { } payloads) System.Buffers.ArrayPool<byte>.Shared.Return(payloads);
    }
}

/// <summary>A checkpoint asked for: it covers every event acknowledged before it.</summary>
internal sealed class CheckpointRequest : WriterWork
{
    public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>A health probe: null when storage is writable, otherwise why not.</summary>
internal sealed class ProbeRequest : WriterWork
{
    public TaskCompletionSource<string?> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>One small retention step.</summary>
internal sealed class RetentionRequest(RetentionBatch batch) : WriterWork
{
    public RetentionBatch Batch { get; } = batch;
    public TaskCompletionSource<RetentionResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
