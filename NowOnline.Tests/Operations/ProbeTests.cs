using System.Net;
using Microsoft.Data.Sqlite;
using NowOnline.Tests.Support;

namespace NowOnline.Tests.Operations;

/// <summary>/healthz/live answers while the process runs; /healthz/ready only while storage is writable (start-up: StartupProbeTests).</summary>
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
