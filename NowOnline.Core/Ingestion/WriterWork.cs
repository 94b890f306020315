namespace NowOnline.Core.Ingestion;

/// <summary>Work queued for the single writer; each item carries the completion its caller awaits.</summary>
internal abstract class WriterWork;

/// <summary>One request's events, encoded on the request thread.</summary>
internal sealed class EventBatch(StoredEvent[] events) : WriterWork
{
    public StoredEvent[] Events { get; } = events;
    public TaskCompletionSource<IngestResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
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
