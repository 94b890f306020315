using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;

namespace NowOnline.Web.Api;

/// <summary>Reads a size-limited JSON request body, telling apart "not JSON", "too large" and "malformed".</summary>
public static class JsonBody
{
    public static async Task<JsonBodyResult> ReadAsync(HttpContext http, int maxBytes, int maxDepth, CancellationToken cancellationToken)
    {
        if (!http.Request.HasJsonContentType())
            return JsonBodyResult.Failed(TypedResults.Problem("Send the body as application/json.",
                statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type"));
        if (http.Request.ContentLength > maxBytes) return JsonBodyResult.Failed(TooLarge(maxBytes));
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeLimit)
            sizeLimit.MaxRequestBodySize = maxBytes;

        try
        {
            // Chunked bodies carry no length: read at most one byte more than allowed to tell "too large".
            using var buffer = new MemoryStream();
            var chunk = new byte[16 * 1024];
            int read;
            while ((read = await http.Request.Body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                buffer.Write(chunk, 0, read);
                if (buffer.Length > maxBytes) return JsonBodyResult.Failed(TooLarge(maxBytes));
            }

            if (buffer.Length == 0) return JsonBodyResult.Failed(Invalid("body", "The body is empty: send a JSON object."));
            var document = JsonDocument.Parse(buffer.GetBuffer().AsMemory(0, (int)buffer.Length),
                new JsonDocumentOptions { MaxDepth = maxDepth });
            return new JsonBodyResult(document, null);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return JsonBodyResult.Failed(TooLarge(maxBytes));
        }
        catch (JsonException ex)
        {
            return JsonBodyResult.Failed(Invalid("body", $"The body is not valid JSON (nested at most {maxDepth} deep): {ex.Message}"));
        }
    }

    public static IResult Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, title: "The request was not accepted; nothing was saved.");

    private static IResult TooLarge(int maxBytes) =>
        TypedResults.Problem($"The body is larger than {maxBytes} bytes.", statusCode: StatusCodes.Status413PayloadTooLarge, title: "Body too large");
}

/// <summary>The parsed document (the caller disposes it), or the reply that explains why there is none.</summary>
public sealed record JsonBodyResult(JsonDocument? Document, IResult? Error)
{
    public static JsonBodyResult Failed(IResult error) => new(null, error);
}
