using System.Diagnostics;
using ActivityEvent = NowOnline.Core.Presence.ActivityEvent;
using NowOnline.Bench.Shared;
using NowOnline.Core.Ingestion;
using NowOnline.Core.Presence;

namespace NowOnline.Bench.Support;

/// <summary>
/// Submits batches to the real ingestor at a fixed rate from several concurrent clients. Latency runs from the moment a
/// batch was due, not when it was sent, so a stall is counted for every batch it held up (no coordinated omission).
/// </summary>
public sealed class PacedProducer(ActivityIngestor ingestor, Func<int, int, ActivityEvent[]> makeBatch, int clients, double batchesPerSecond)
{
    /// <summary>Runs until <paramref name="until"/>; each sample goes to the recorder <paramref name="phase"/> picks for its due time.</summary>
    public Task RunAsync(long until, Func<long, Latency> phase) =>
        Task.WhenAll(Enumerable.Range(0, clients).Select(client => Task.Run(async () =>
        {
            var interval = Measure.Ticks(TimeSpan.FromSeconds(clients / batchesPerSecond));
            var due = Stopwatch.GetTimestamp() + interval * client / clients;
            var sequence = 0;
            while (due < until)
            {
                var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
                if (wait > TimeSpan.Zero) await Task.Delay(wait);
                var batch = makeBatch(client, sequence++);
                await ingestor.SubmitAsync(batch);
                var done = Stopwatch.GetTimestamp();
                var recorder = phase(due);
                lock (recorder) recorder.Record(done - due);
                due += interval;
            }
        })));
}
