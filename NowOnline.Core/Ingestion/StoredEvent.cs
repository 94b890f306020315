using System.Buffers;
using System.Text.Json;
using NowOnline.Core.Presence;

namespace NowOnline.Core.Ingestion;

/// <summary>
/// An event as the log stores it: times trimmed to milliseconds, and its JSON payload as UTF-8. <see cref="IsBot"/> is
/// decided with the payload, on the caller's thread, so the writer does not scan user agents.
/// </summary>
internal readonly record struct StoredEvent(ActivityEvent Event, ReadOnlyMemory<byte> Payload, bool IsBot = false)
{
    /// <summary>
    /// Prepares a batch for the log on the caller's thread, so the single writer only binds bytes. All payloads of the
    /// batch share one buffer; the JSON is byte for byte what <see cref="EventJson.Serialize"/> writes.
    /// </summary>
    public static StoredEvent[] Encode(IReadOnlyList<ActivityEvent> events, Func<string?, bool>? isBot = null)
    {
        var buffer = new ArrayBufferWriter<byte>(Math.Max(256, events.Count * 320));
        var ends = new int[events.Count];
        var stored = new ActivityEvent[events.Count];
        using (var writer = new Utf8JsonWriter(buffer))
        {
            for (var i = 0; i < events.Count; i++)
            {
                stored[i] = ToStoredPrecision(events[i]);
                EventJson.Write(writer, stored[i]);
                writer.Flush();
                ends[i] = buffer.WrittenCount;
                writer.Reset();
            }
        }

        var bytes = buffer.WrittenMemory;
        var result = new StoredEvent[events.Count];
        for (var i = 0; i < events.Count; i++)
        {
            var start = i == 0 ? 0 : ends[i - 1];
            result[i] = new StoredEvent(stored[i], bytes[start..ends[i]], isBot?.Invoke(stored[i].UserAgent) ?? false);
        }

        return result;
    }

    /// <summary>The database keeps milliseconds; trimming here keeps memory and disk identical across a restart.</summary>
    private static ActivityEvent ToStoredPrecision(ActivityEvent activity)
    {
        var ms = activity.OccurredAt.ToUnixTimeMilliseconds();
        return activity.OccurredAt.UtcTicks % TimeSpan.TicksPerMillisecond == 0 && activity.OccurredAt.Offset == TimeSpan.Zero
            ? activity
            : activity with { OccurredAt = DateTimeOffset.FromUnixTimeMilliseconds(ms) };
    }
}
