using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using NowOnline.Bench.Shared;
using NowOnline.Core.Presence;
using NowOnline.Web.Api.Activity;

namespace NowOnline.Load;

/// <summary>
/// The baseline behind the same HTTP contract: same JSON parsing and validation as NowOnline, then one autocommitted
/// row INSERT/UPDATE per event (<see cref="ClassicStore"/>), answering 202 once every row is written.
/// </summary>
public sealed class ClassicServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ClassicStore _store;

    private ClassicServer(WebApplication app, ClassicStore store, Uri address)
    {
        _app = app;
        _store = store;
        BaseAddress = address;
    }

    public Uri BaseAddress { get; }

    public long Rows => _store.Count();

    public static async Task<ClassicServer> StartAsync(string databasePath)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var store = new ClassicStore(databasePath);
        var limits = new IngestionOptions();
        app.MapPost("/api/activity", async (HttpContext http, CancellationToken cancellationToken) =>
        {
            using var document = await JsonDocument.ParseAsync(http.Request.Body, cancellationToken: cancellationToken);
            var errors = new ValidationErrors();
            var parser = new ActivityEventParser(DateTimeOffset.UtcNow, limits, errors);
            var events = new List<ActivityEvent>();
            var index = 0;
            foreach (var item in document.RootElement.EnumerateArray())
                if (parser.Parse(item, $"[{index++}]") is { } parsed) events.Add(parsed);
            if (errors.Any) return Results.ValidationProblem(errors.ToDictionary());
            foreach (var activity in events) store.Apply(activity);
            return Results.Accepted(null as string, new { accepted = events.Count });
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new ClassicServer(app, store, new Uri(address));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _store.Dispose();
    }
}
