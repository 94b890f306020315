using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using NowOnline.Core.Presence;
using NowOnline.Tests.Support;

namespace NowOnline.Tests.Cluster;

/// <summary>
/// Two nodes on one real PostgreSQL database (Storage:Provider = PostgreSql): the schema is migrated once, and the
/// settings, admins (sign-in through the shared data-protection keys) and session data are the same on both.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class SharedStateTests(PostgresServer postgres) : IAsyncLifetime
{
    private ClusterNodes _cluster = default!;

    public async Task InitializeAsync() => _cluster = await ClusterNodes.CreateAsync(postgres);

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private Task<TestApp> StartNodeAsync(string name) => _cluster.StartAsync(name);

    [Fact]
    public async Task Nodes_starting_at_once_apply_each_migration_once()
    {
        var nodes = await Task.WhenAll(StartNodeAsync("a"), StartNodeAsync("b"));

        Assert.All(nodes, node => Assert.NotNull(node.BaseAddress));
        await using var connection = new NpgsqlConnection(_cluster.ConnectionString);
        await connection.OpenAsync();
        await using var history = new NpgsqlCommand("""SELECT "MigrationId" FROM "__EFMigrationsHistory" ORDER BY 1""", connection);
        var ids = new List<string>();
        await using (var reader = await history.ExecuteReaderAsync())
            while (await reader.ReadAsync()) ids.Add(reader.GetString(0));
        Assert.Equal(ids.Distinct().Count(), ids.Count);
        Assert.Contains(ids, id => id.EndsWith("_Baseline", StringComparison.Ordinal));
        await using var admins = new NpgsqlCommand("""SELECT COUNT(*) FROM "AdminUsers" """, connection);
        Assert.Equal(1L, await admins.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Settings_saved_on_one_node_apply_on_the_other_at_once()
    {
        var a = await StartNodeAsync("a");
        var b = await StartNodeAsync("b");
        var admin = await a.AdminClientAsync();

        var saved = await admin.PutAsJsonAsync("/api/settings", new { onlineMinutesInterval = 7, customerDataLifetime = 70, version = 0 });

        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        var tracker = b.Services.GetRequiredService<PresenceTracker>();
        await Eventually.TrueAsync(() => tracker.Interval == TimeSpan.FromMinutes(7), "node B's list uses the interval saved on node A");
        var read = await b.Storefront().GetFromJsonAsync<JsonElement>("/api/settings");
        Assert.Equal((7, 70), (read.GetProperty("onlineMinutesInterval").GetInt32(), read.GetProperty("customerDataLifetime").GetInt32()));
    }

    [Fact]
    public async Task Admin_signed_in_through_one_node_is_signed_in_on_the_other()
    {
        var a = await StartNodeAsync("a");
        var b = await StartNodeAsync("b");
        var cookies = new CookieContainer();
        using var signIn = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = a.BaseAddress };
        var response = await signIn.SignInAsync(TestApp.AdminEmail, TestApp.AdminPassword);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);

        using var onB = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = b.BaseAddress };
        var withCookie = new HttpRequestMessage(HttpMethod.Get, "/api/settings/history");
        withCookie.Headers.Add("Cookie", cookies.GetCookieHeader(a.BaseAddress));
        var history = await onB.SendAsync(withCookie);
        var anonymous = await onB.GetAsync("/api/settings/history");

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.OK, history.StatusCode);
    }

    [Fact]
    public async Task Session_data_written_through_one_node_is_read_through_the_other()
    {
        var a = await StartNodeAsync("a");
        var b = await StartNodeAsync("b");

        var put = await a.Storefront().PutAsync("/api/sessions/s-shared/data",
            new StringContent("""{"note":"written on A"}""", new System.Net.Http.Headers.MediaTypeHeaderValue("application/json")));
        var read = await b.Storefront().GetAsync("/api/sessions/s-shared/data");

        Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Contains("written on A", await read.Content.ReadAsStringAsync());
        var missing = await b.Storefront().GetAsync("/api/sessions/s-never-written/data");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }
}
