using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using NowOnline.Tests.Support;

namespace NowOnline.Tests.Operations;

/// <summary>
/// With Storage:Provider=PostgreSql the ready probe also asks PostgreSQL. The test owns its server (it stops it), so it
/// does not share the PostgreSQL collection's.
/// </summary>
public sealed class PostgreSqlProbeTests : IAsyncLifetime
{
    private readonly PostgresServer _postgres = new();
    private readonly TempFolder _folder = new();

    public Task InitializeAsync() => _postgres.InitializeAsync();

    public async Task DisposeAsync()
    {
        await _postgres.DisposeAsync();
        _folder.Dispose();
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> ReadyAsync(HttpClient client)
    {
        var response = await client.GetAsync("/healthz/ready");
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    private static string PostgreSqlStatus(JsonElement body) =>
        body.GetProperty("checks").GetProperty("postgresql").GetProperty("status").GetString()!;

    [Fact]
    public async Task Ready_while_PostgreSQL_runs_not_ready_while_it_is_stopped_and_ready_again_after_it_restarts()
    {
        var database = await _postgres.CreateDatabaseAsync();
        await using var app = await TestApp.StartAsync(new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "PostgreSql",
            ["ConnectionStrings:NowOnline"] = database,
            ["Storage:NodeDatabase"] = $"Data Source={_folder.File("node.db")}",
            ["Logging:LogLevel:Default"] = "Critical",
        }, databasePath: _folder.File("unused.db"));
        using var client = app.Anonymous();

        var running = await ReadyAsync(client);
        Assert.Equal((HttpStatusCode.OK, "Healthy"), (running.Status, PostgreSqlStatus(running.Body)));

        await _postgres.StopAsync();
        var stopped = await ReadyAsync(client);
        Assert.Equal((HttpStatusCode.ServiceUnavailable, "Unhealthy"), (stopped.Status, PostgreSqlStatus(stopped.Body)));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz/live")).StatusCode);

        await _postgres.StartAsync();
        await Eventually.TrueAsync(async () => (await ReadyAsync(client)).Status == HttpStatusCode.OK, "ready again once PostgreSQL is back", seconds: 60);
    }
}
