using NowOnline.Web.Api.Activity;

namespace NowOnline.Load;

/// <summary>
/// The request-body step the HTTP floor and the classic baseline share: the app's own <see cref="ActivityRequestBody.ReadAsync"/>
/// (same body read, same parser, same checks and replies), so the figures compare what each does after it.
/// </summary>
public static class BatchBody
{
    /// <summary>The events of the body, or the reply naming why there are none.</summary>
    public static Task<ActivityRequestBodyResult> ReadAsync(HttpContext http, IngestionOptions limits, CancellationToken cancellationToken) =>
        ActivityRequestBody.ReadAsync(http, limits, DateTimeOffset.UtcNow, cancellationToken);
}
