using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;

namespace NowOnline.Web.Api;

/// <summary>Reads a size-limited JSON request body, telling apart "not JSON", "too large" and "malformed".</summary>
public static class JsonBody
{
    public static Task<JsonBodyResult> ReadAsync(HttpContext http, int maxBytes, int maxDepth, CancellationToken cancellationToken) =>
        ReadAsync(http, maxBytes, maxDepth, JsonBodyWording.Default, cancellationToken);

    /// <summary>Same steps, replies worded for the endpoint (<paramref name="wording"/>).</summary>
    public static async Task<JsonBodyResult> ReadAsync(HttpContext http, int maxBytes, int maxDepth, JsonBodyWording wording,
        CancellationToken cancellationToken)
    {
        var read = await ReadBytesAsync(http, maxBytes, wording, cancellationToken);
        if (read.Error is not null) return JsonBodyResult.Failed(read.Error);
        using var body = read.Body!;
        try
        {
            // The document keeps the memory it parses, so it gets a copy of its own rather than the pooled buffer.
            return new JsonBodyResult(JsonDocument.Parse(body.Memory.ToArray(), new JsonDocumentOptions { MaxDepth = maxDepth }), null);
        }
        catch (JsonException ex)
        {
            return JsonBodyResult.Failed(Malformed(ex, maxDepth, wording));
        }
    }

    /// <summary>
    /// The body's bytes in one pooled buffer (the caller disposes it), after the content-type and size checks; or the
    /// reply that explains why there are none (415, 413, or 400 for an empty body).
    /// </summary>
    public static async Task<JsonBodyBytesResult> ReadBytesAsync(HttpContext http, int maxBytes, JsonBodyWording wording,
        CancellationToken cancellationToken)
    {
        if (!http.Request.HasJsonContentType())
            return JsonBodyBytesResult.Failed(TypedResults.Problem(wording.UnsupportedDetail,
                statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type"));
        if (http.Request.ContentLength > maxBytes) return JsonBodyBytesResult.Failed(TooLarge(maxBytes, wording));
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeLimit)
            sizeLimit.MaxRequestBodySize = maxBytes;

        var body = new PooledBody(http.Request.ContentLength is { } length ? (int)length : 16 * 1024);
        try
        {
            // Straight from Kestrel's pipe into the one buffer: no Stream adapter, no intermediate chunk array.
            // Chunked bodies carry no length: more than allowed is "too large" as soon as it arrives.
            var pipe = http.Request.BodyReader;
            while (true)
            {
                var result = await pipe.ReadAsync(cancellationToken);
                var buffer = result.Buffer;
                if (body.Length + buffer.Length > maxBytes)
                {
                    pipe.AdvanceTo(buffer.End);
                    body.Dispose();
                    return JsonBodyBytesResult.Failed(TooLarge(maxBytes, wording));
                }

                body.Append(buffer);
                pipe.AdvanceTo(buffer.End);
                if (result.IsCompleted || result.IsCanceled) break;
            }
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            body.Dispose();
            return JsonBodyBytesResult.Failed(TooLarge(maxBytes, wording));
        }
        catch
        {
            body.Dispose();
            throw;
        }

        if (body.Length > 0) return new JsonBodyBytesResult(body, null);
        body.Dispose();
        return JsonBodyBytesResult.Failed(Invalid("body", wording.EmptyMessage, wording.InvalidTitle));
    }

    /// <summary>The 400 for a body that is not JSON, or nests deeper than <paramref name="maxDepth"/>; names the problem.</summary>
    public static ValidationProblem Malformed(JsonException ex, int maxDepth, JsonBodyWording wording) =>
        Invalid("body", $"The body is not valid JSON (nested at most {maxDepth} deep): {ex.Message}", wording.InvalidTitle);

    public static ValidationProblem Invalid(string field, string message) => Invalid(field, message, JsonBodyWording.Default.InvalidTitle);

    private static ValidationProblem Invalid(string field, string message, string title) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, title: title);

    private static ProblemHttpResult TooLarge(int maxBytes, JsonBodyWording wording) =>
        TypedResults.Problem($"The body is larger than {maxBytes} bytes{wording.TooLargeAdvice}.",
            statusCode: StatusCodes.Status413PayloadTooLarge, title: "Body too large");
}

/// <summary>
/// How an endpoint words <see cref="JsonBody"/>'s replies: the 415 detail, advice after the 413 detail (such as
/// "; send smaller batches"), the message for an empty body and the title of a 400.
/// </summary>
public sealed record JsonBodyWording(string UnsupportedDetail, string TooLargeAdvice, string EmptyMessage, string InvalidTitle)
{
    public static JsonBodyWording Default { get; } = new("Send the body as application/json.", "",
        "The body is empty: send a JSON object.", "The request was not accepted; nothing was saved.");
}

/// <summary>The parsed document (the caller disposes it), or the reply that explains why there is none.</summary>
public sealed record JsonBodyResult(JsonDocument? Document, IResult? Error)
{
    public static JsonBodyResult Failed(IResult error) => new(null, error);
}

/// <summary>The body's bytes (the caller disposes them), or the reply that explains why there are none.</summary>
public sealed record JsonBodyBytesResult(PooledBody? Body, IResult? Error)
{
    public static JsonBodyBytesResult Failed(IResult error) => new(null, error);
}

/// <summary>
/// A request body in one buffer rented from <see cref="ArrayPool{T}.Shared"/>, so a busy endpoint does not allocate a
/// fresh array per request (per-request garbage was a large part of the 14.75 % libcoreclr share in issue 14's profile).
/// Invariant: <see cref="Memory"/> holds exactly the <see cref="Length"/> bytes received, in order.
/// </summary>
public sealed class PooledBody(int expectedLength) : IDisposable
{
    private byte[] _array = ArrayPool<byte>.Shared.Rent(Math.Max(expectedLength, 256));

    public int Length { get; private set; }

    public ReadOnlyMemory<byte> Memory => _array.AsMemory(0, Length);

    public void Append(ReadOnlySequence<byte> data)
    {
        if (Length + data.Length > _array.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent((int)Math.Max(_array.Length * 2L, Length + data.Length));
            _array.AsSpan(0, Length).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_array);
            _array = larger;
        }

        data.CopyTo(_array.AsSpan(Length));
        Length += (int)data.Length;
    }

    public void Dispose()
    {
        if (_array.Length == 0) return;
        ArrayPool<byte>.Shared.Return(_array);
        _array = [];
        Length = 0;
    }
}
