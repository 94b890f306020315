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
    public static StoredEvent[] Encode(IReadOnlyList<ActivityEvent> events, Func<string?, bool>? isBot = null) =>
        Encode(events, isBot, out _);

    /// <summary>
    /// As <see cref="Encode(IReadOnlyList{ActivityEvent}, Func{string?, bool}?)"/>, into an array rented from
    /// <see cref="ArrayPool{T}.Shared"/> (<paramref name="rented"/>): give it back once no payload is read any more, or let
    /// the collector have it.
    /// </summary>
    public static StoredEvent[] Encode(IReadOnlyList<ActivityEvent> events, Func<string?, bool>? isBot, out byte[] rented)
    {
        // ~400 bytes per storefront event (a browser's user agent is a third of it): one rent, rarely a second.
        var buffer = new RentedBufferWriter(events.Count * 512);
        var ends = new int[events.Count];
        var stored = new ActivityEvent[events.Count];
        var writer = t_writer ??= new Utf8JsonWriter(buffer);
        writer.Reset(buffer);
        for (var i = 0; i < events.Count; i++)
        {
            stored[i] = ToStoredPrecision(events[i]);
            EventJson.Write(writer, stored[i]);
            writer.Flush();
            ends[i] = buffer.WrittenCount;
            writer.Reset();
        }

        writer.Reset(Stream.Null); // holds no reference to the rented array
        rented = buffer.Buffer;
        var result = new StoredEvent[events.Count];
        for (var i = 0; i < events.Count; i++)
        {
            var start = i == 0 ? 0 : ends[i - 1];
            result[i] = new StoredEvent(stored[i], rented.AsMemory(start, ends[i] - start), isBot?.Invoke(stored[i].UserAgent) ?? false);
        }

        return result;
    }

    // One writer per thread, reset onto each batch's buffer (a new one per batch was ~200 bytes of garbage each).
    [ThreadStatic] private static Utf8JsonWriter? t_writer;

    /// <summary>The database keeps milliseconds; trimming here keeps memory and disk identical across a restart.</summary>
    private static ActivityEvent ToStoredPrecision(ActivityEvent activity)
    {
        var ms = activity.OccurredAt.ToUnixTimeMilliseconds();
        return activity.OccurredAt.UtcTicks % TimeSpan.TicksPerMillisecond == 0 && activity.OccurredAt.Offset == TimeSpan.Zero
            ? activity
            : activity with { OccurredAt = DateTimeOffset.FromUnixTimeMilliseconds(ms) };
    }
}
