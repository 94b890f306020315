using Microsoft.AspNetCore.Http.HttpResults;

namespace NowOnline.Web.Api;

/// <summary>The one reply every endpoint gives when SQLite cannot be written: 503, Retry-After, and what was not kept.</summary>
public static class StorageUnavailableReply
{
    public const int RetryAfterSeconds = 5;

    /// <param name="store">What could not be written, e.g. "activity store".</param>
    /// <param name="notKept">What happened to the request's data, e.g. "nothing was stored".</param>
    public static ProblemHttpResult For(HttpContext http, string store, string notKept)
    {
        http.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.Problem($"The {store} cannot be written right now; {notKept}. Retry after {RetryAfterSeconds} seconds.",
            statusCode: StatusCodes.Status503ServiceUnavailable, title: "Storage unavailable");
    }
}
