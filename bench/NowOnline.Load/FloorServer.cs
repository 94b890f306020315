using NowOnline.Web.Api.Activity;

namespace NowOnline.Load;

/// <summary>
/// The HTTP floor: a bare ASP.NET Core app whose <c>POST /api/activity</c> reads the body, parses and validates it with the
/// app's own parser, and answers 202 with the same reply shape, storing nothing. Run in a process of its own
/// (<c>NowOnline.Load serve-floor</c>), it shows what HTTP + JSON cost on this machine before any storage.
/// </summary>
public static class FloorServer
{
    public static async Task RunAsync(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var limits = new IngestionOptions();
        app.MapGet("/healthz", () => Results.Ok());
        app.MapPost("/api/activity", async (HttpContext http, CancellationToken cancellationToken) =>
        {
            var (events, error) = await BatchBody.ReadAsync(http, limits, cancellationToken);
            if (error is not null) return error;
            return Results.Accepted(null as string, new AcceptedReply(events.Count, 0, 0));
        });
        await app.RunAsync();
    }
}
