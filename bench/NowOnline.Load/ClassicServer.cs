using NowOnline.Bench.Shared;
using NowOnline.Web.Api.Activity;

namespace NowOnline.Load;

/// <summary>
/// The baseline behind the same HTTP contract: same JSON parsing and validation as NowOnline, then one autocommitted
/// row INSERT/UPDATE per event (<see cref="ClassicStore"/>), answering 202 once every row is written. Run in a process of
/// its own (<c>NowOnline.Load serve-classic DATABASE</c>); <c>GET /rows</c> reports the session rows written.
/// </summary>
public static class ClassicServer
{
    public static async Task RunAsync(string[] args, string databasePath)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.Logging.ClearProviders();
        var app = builder.Build();
        using var store = new ClassicStore(databasePath);
        var limits = new IngestionOptions();
        app.MapGet("/healthz", () => Results.Ok());
        app.MapGet("/rows", () => Results.Ok(store.Count()));
        app.MapPost("/api/activity", async (HttpContext http, CancellationToken cancellationToken) =>
        {
            var (events, error) = await BatchBody.ReadAsync(http, limits, cancellationToken);
            if (error is not null) return error;
            foreach (var activity in events) store.Apply(activity);
            return Results.Accepted(null as string, new AcceptedReply(events.Count, 0, 0));
        });
        await app.RunAsync();
    }
}
