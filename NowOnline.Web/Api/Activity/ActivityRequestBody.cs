using System.Text.Json;
using NowOnline.Core.Presence;

namespace NowOnline.Web.Api.Activity;

/// <summary>
/// Reads a <c>POST /api/activity</c> body into events: one pooled buffer of the body (<see cref="JsonBody.ReadBytesAsync"/>),
/// then one forward pass of a <see cref="Utf8JsonReader"/> over it, with no JsonDocument (issue 14's baseline profile:
/// about 3 % of the app's CPU in JsonDocument access and transcoding, and per-request garbage behind much of the 14.75 %
/// in libcoreclr). The HTTP floor (bench/NowOnline.Load) calls this same method, so the floor parses as the app does.
/// </summary>
public static class ActivityRequestBody
{
    /// <summary>The activity API's wording of the body-reading replies (415, 413, empty or malformed JSON).</summary>
    public static JsonBodyWording Wording { get; } = new("Send the events as application/json.", "; send smaller batches",
        "The body is empty: send one event object or an array of them.", "The activity was not accepted; nothing was stored.");

    /// <summary>The events of the body, or the reply (415, 413, 400 with a message per bad field) saying why there are none.</summary>
    public static async Task<ActivityRequestBodyResult> ReadAsync(HttpContext http, IngestionOptions limits, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var read = await JsonBody.ReadBytesAsync(http, limits.MaxBodyBytes, Wording, cancellationToken);
        if (read.Error is not null) return new ActivityRequestBodyResult([], read.Error);
        using var body = read.Body!;
        var errors = new ValidationErrors();
        List<ActivityEvent> events;
        try
        {
            events = Parse(body.Memory.Span, now, limits, ref errors);
        }
        catch (JsonException ex)
        {
            return new ActivityRequestBodyResult([], JsonBody.Malformed(ex, ActivityApi.MaxJsonDepth, Wording));
        }

        return errors.Any
            ? new ActivityRequestBodyResult([], TypedResults.ValidationProblem(errors.ToDictionary(), title: Wording.InvalidTitle))
            : new ActivityRequestBodyResult(events, null);
    }

    /// <summary>
    /// One event object or an array of them. Throws <see cref="JsonException"/> when the body is not JSON: that reply wins
    /// over any field message (the whole body is read before any message is given). A batch over the size limit gets only
    /// the message about its size, as when the count came from a DOM.
    /// </summary>
    internal static List<ActivityEvent> Parse(ReadOnlySpan<byte> body, DateTimeOffset now, IngestionOptions limits, ref ValidationErrors errors)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = ActivityApi.MaxJsonDepth });
        reader.Read();
        var parser = new ActivityEventParser(now, limits, errors);
        var events = new List<ActivityEvent>();
        if (reader.TokenType == JsonTokenType.StartArray)
        {
            var count = 0;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (count++ >= limits.MaxBatchSize) reader.Skip(); // still read to the end: the message names the count
                else if (parser.Parse(body, ref reader, Paths.Item(count - 1)) is { } parsed) events.Add(parsed);
            }

            if (count == 0 || count > limits.MaxBatchSize)
            {
                errors = new ValidationErrors();
                errors.Add("body", count == 0
                    ? "The batch is empty: send at least one event."
                    : $"The batch holds {count} events; at most {limits.MaxBatchSize} are allowed.");
            }
        }
        else if (reader.TokenType == JsonTokenType.StartObject)
        {
            if (parser.Parse(body, ref reader, "") is { } parsed) events.Add(parsed);
        }
        else
        {
            reader.Skip();
            errors.Add("body", "The body must be one event object or an array of them.");
        }

        while (reader.Read()) { } // anything after the first value is malformed JSON, and throws
        return events;
    }

    /// <summary>"[0]", "[1]", ...: the paths of the first items are made once, not per event.</summary>
    private static class Paths
    {
        private static readonly string[] First = Enumerable.Range(0, 1000).Select(i => $"[{i}]").ToArray();

        public static string Item(int index) => index < First.Length ? First[index] : $"[{index}]";
    }
}

/// <summary>The events of an accepted body, or the reply that explains why there are none.</summary>
public sealed record ActivityRequestBodyResult(List<ActivityEvent> Events, IResult? Error);
