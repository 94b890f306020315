using System.Text.Json;
using NowOnline.Core.Presence;
using NowOnline.Web.Api.Activity;

namespace NowOnline.Load;

/// <summary>
/// The request-body step the HTTP floor and the classic baseline share, so both parse and validate exactly as each other
/// (with the app's own parser): the figures compare what each does after it.
/// </summary>
public static class BatchBody
{
    /// <summary>The events of a JSON array body, or the per-item problems when any item is invalid.</summary>
    public static async Task<(List<ActivityEvent> Events, ValidationErrors Errors)> ReadAsync(HttpRequest request,
        IngestionOptions limits, CancellationToken cancellationToken)
    {
        using var document = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken);
        var errors = new ValidationErrors();
        var parser = new ActivityEventParser(DateTimeOffset.UtcNow, limits, errors);
        var events = new List<ActivityEvent>();
        var index = 0;
        foreach (var item in document.RootElement.EnumerateArray())
            if (parser.Parse(item, $"[{index++}]") is { } parsed) events.Add(parsed);
        return (events, errors);
    }
}
