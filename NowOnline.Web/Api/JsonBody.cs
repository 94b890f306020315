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
        if (!http.Request.HasJsonContentType())
            return JsonBodyResult.Failed(TypedResults.Problem(wording.UnsupportedDetail,
                statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type"));
        if (http.Request.ContentLength > maxBytes) return JsonBodyResult.Failed(TooLarge(maxBytes, wording));
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeLimit)
            sizeLimit.MaxRequestBodySize = maxBytes;

        try
        {
            // Chunked bodies carry no length: read at most one byte more than allowed to tell "too large".
            using var buffer = new MemoryStream(http.Request.ContentLength is { } length ? (int)length : 0);
            var chunk = new byte[16 * 1024];
            int read;
            while ((read = await http.Request.Body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                buffer.Write(chunk, 0, read);
                if (buffer.Length > maxBytes) return JsonBodyResult.Failed(TooLarge(maxBytes, wording));
            }

            if (buffer.Length == 0) return JsonBodyResult.Failed(Invalid("body", wording.EmptyMessage, wording.InvalidTitle));
            var document = JsonDocument.Parse(buffer.GetBuffer().AsMemory(0, (int)buffer.Length),
                new JsonDocumentOptions { MaxDepth = maxDepth });
            return new JsonBodyResult(document, null);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return JsonBodyResult.Failed(TooLarge(maxBytes, wording));
        }
        catch (JsonException ex)
        {
            return JsonBodyResult.Failed(Invalid("body", $"The body is not valid JSON (nested at most {maxDepth} deep): {ex.Message}",
                wording.InvalidTitle));
        }
    }

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
