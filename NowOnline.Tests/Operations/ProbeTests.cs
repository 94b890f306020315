using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Data.Sqlite;
using NowOnline.Tests.Support;
using NowOnline.Web;

namespace NowOnline.Tests.Operations;

/// <summary>/healthz/live answers while the process runs; /healthz/ready only once migrated, restored and writable.</summary>
public sealed class ProbeTests
{
    private static async Task<HttpStatusCode> StatusAsync(HttpClient client, string path) => (await client.GetAsync(path)).StatusCode;

    [Fact]
    public async Task Started_app_is_live_and_ready()
    {
        await using var app = await TestApp.StartAsync();
        using var client = app.Anonymous();

        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, "/healthz/live"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, "/healthz/ready"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, "/healthz"));
    }

    [Fact]
    public async Task App_is_live_but_not_ready_until_migrated_and_restored()
    {
        using var folder = new TempFolder();
        var app = NowOnlineApp.Compose(
        [
            "--urls", "http://127.0.0.1:0", "--environment", "Production", $"--ConnectionStrings:NowOnline=Data Source={folder.File("n.db")}",
            $"--Ingestion:ApiKeys:0={TestApp.ApiKey}", $"--Admin:Email={TestApp.AdminEmail}", $"--Admin:Password={TestApp.AdminPassword}",
            "--Simulator:Enabled=false", "--Logging:LogLevel:Default=Critical",
        ]);
        await using (app)
        {
            await app.StartAsync();
            using var client = new HttpClient { BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()) };

            var live = await StatusAsync(client, "/healthz/live");
            var ready = await client.GetAsync("/healthz/ready");
            Assert.Equal(HttpStatusCode.OK, live);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            Assert.Equal("Unhealthy", await ready.Content.ReadAsStringAsync());

            await NowOnlineApp.InitializeAsync(app);
            // The writer's storage probe failed on the empty database; it retries every second by itself.
            await Eventually.TrueAsync(async () => await StatusAsync(client, "/healthz/ready") == HttpStatusCode.OK, "ready once restored", seconds: 30);
            await app.StopAsync();
        }
    }

    [Fact]
    public async Task Locked_storage_makes_the_app_not_ready_yet_live_and_ready_again_by_itself()
    {
        await using var app = await TestApp.StartAsync();
        using var client = app.Anonymous();
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, "/healthz/ready"));

        await using (var holder = new SqliteConnection($"Data Source={app.DatabasePath};Pooling=False"))
        {
            await holder.OpenAsync();
            await using (var begin = holder.CreateCommand())
            {
                begin.CommandText = "BEGIN EXCLUSIVE";
                await begin.ExecuteNonQueryAsync();
            }

            var refused = await app.Storefront().PostEventAsync(new { type = "page_view", sessionId = "v-" + Guid.NewGuid().ToString("N") });
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);

            Assert.Equal(HttpStatusCode.ServiceUnavailable, await StatusAsync(client, "/healthz/ready"));
            Assert.Equal(HttpStatusCode.OK, await StatusAsync(client, "/healthz/live"));
        }

        await Eventually.TrueAsync(async () => await StatusAsync(client, "/healthz/ready") == HttpStatusCode.OK, "ready again", seconds: 30);
    }
}
