using Microsoft.Extensions.Hosting;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using NowOnline.Tests.Support;

namespace NowOnline.Tests.Operations;

/// <summary>
/// The app listens before it migrates and restores: live at once, not ready (and saying why) until start-up is done,
/// and nothing that needs the online list answers before then, so no caller ever sees a half-restored list.
/// </summary>
public sealed class StartupProbeTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string Database => _folder.File("nowonline.db");

    private static async Task<JsonElement> ReadyAsync(HttpClient client, HttpStatusCode expected)
    {
        var response = await client.GetAsync("/healthz/ready");
        Assert.Equal(expected, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static void AssertRetryLater(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task Starting_app_is_live_and_its_ready_probe_names_what_is_pending()
    {
        await using var app = await HeldStartApp.StartAsync(Database);

        Assert.Equal(HttpStatusCode.OK, (await app.Client.GetAsync("/healthz/live")).StatusCode);
        var ready = await ReadyAsync(app.Client, HttpStatusCode.ServiceUnavailable);
        Assert.Equal("Unhealthy", ready.GetProperty("status").GetString());
        var startup = ready.GetProperty("checks").GetProperty("startup");
        Assert.Equal("Unhealthy", startup.GetProperty("status").GetString());
        Assert.Equal($"Starting: {HeldStartApp.HeldStep}.", startup.GetProperty("description").GetString());
    }

    [Fact]
    public async Task Starting_app_refuses_ingestion_the_list_settings_and_the_hub_with_retry_after()
    {
        await using var app = await HeldStartApp.StartAsync(Database);
        var shop = StorefrontEvents.Untagged();

        var post = await app.Client.PostEventAsync(shop.Login("s-1", StorefrontEvents.NewCustomerId()));
        AssertRetryLater(post);
        var problem = await post.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("NowOnline is starting.", problem.GetProperty("title").GetString());
        Assert.Contains(HeldStartApp.HeldStep, problem.GetProperty("detail").GetString());
        AssertRetryLater(await app.Client.GetAsync("/api/online"));
        AssertRetryLater(await app.Client.GetAsync("/api/settings"));
        AssertRetryLater(await app.Client.PostAsync("/hubs/presence/negotiate?negotiateVersion=1", null));
    }

    [Fact]
    public async Task Starting_app_shows_a_browser_a_starting_page_instead_of_the_grid()
    {
        await using var app = await HeldStartApp.StartAsync(Database);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/customers/online");
        request.Headers.Accept.ParseAdd("text/html");

        var page = await app.Client.SendAsync(request);

        AssertRetryLater(page);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("NowOnline is starting", await page.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Released_start_up_makes_the_app_ready_with_the_whole_restored_list()
    {
        var shop = StorefrontEvents.Untagged();
        await using (var first = await TestApp.StartAsync(databasePath: Database))
        {
            var batch = Enumerable.Range(1, 30).Select(i => shop.Login($"s-{i}", StorefrontEvents.NewCustomerId())).ToArray();
            Assert.Equal(HttpStatusCode.Accepted, (await first.Storefront().PostEventAsync(batch)).StatusCode);
        }

        await using var app = await HeldStartApp.StartAsync(Database);
        AssertRetryLater(await app.Client.GetAsync("/api/online"));

        app.Release();

        await Eventually.TrueAsync(async () => (await app.Client.GetAsync("/healthz/ready")).StatusCode == HttpStatusCode.OK, "ready once released", seconds: 60);
        var ready = await ReadyAsync(app.Client, HttpStatusCode.OK);
        Assert.Equal("Healthy", ready.GetProperty("checks").GetProperty("startup").GetProperty("status").GetString());
        var online = await app.Client.GetFromJsonAsync<JsonElement>("/api/online?take=50");
        Assert.Equal(30, online.GetProperty("total").GetInt32());
        Assert.Equal(HttpStatusCode.Accepted, (await app.Client.PostEventAsync(shop.CartAdd("s-1"))).StatusCode);
    }

    [Fact]
    public async Task Failed_start_up_stops_the_app_and_names_the_failure()
    {
        await using var app = await HeldStartApp.StartAsync(Database, failure: new InvalidOperationException("disk on fire"));

        await app.App.WaitForShutdownAsync().WaitAsync(TimeSpan.FromSeconds(60));

        Assert.IsType<InvalidOperationException>(app.Gate.Failure);
        Assert.False(app.Gate.IsOpen);
    }
}
