using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using NowOnline.Tests.Cluster;
using NowOnline.Tests.Support;

namespace NowOnline.Tests.Deploy;

/// <summary>
/// Two nodes on one PostgreSQL save the settings for the first time at the same moment: both read "no row yet" and
/// both insert row 1. The loser must get the usual 409 (who saved, and the version that won), not a 503.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class FirstSettingsRaceTests(PostgresServer postgres) : IAsyncLifetime
{
    private ClusterNodes _cluster = default!;

    public async Task InitializeAsync() => _cluster = await ClusterNodes.CreateAsync(postgres);

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private Task<TestApp> StartNodeAsync(string name) => _cluster.StartAsync(name);

    [Fact]
    public async Task Two_nodes_saving_the_first_settings_at_once_give_one_save_and_one_conflict()
    {
        var a = await StartNodeAsync("a");
        var b = await StartNodeAsync("b");
        var adminA = await a.AdminClientAsync();
        var adminB = await b.AdminClientAsync();

        // Hold back every insert into the settings table (reads still pass), so both saves have read "no row" and wait
        // at their insert; released together, one insert wins and the other hits the primary key.
        await using var gate = new NpgsqlConnection(_cluster.ConnectionString);
        await gate.OpenAsync();
        var hold = await gate.BeginTransactionAsync();
        await using (var lockTable = new NpgsqlCommand("""LOCK TABLE "Settings" IN SHARE ROW EXCLUSIVE MODE""", gate, hold))
            await lockTable.ExecuteNonQueryAsync();

        var onA = adminA.PutAsJsonAsync("/api/settings", new { onlineMinutesInterval = 7, customerDataLifetime = 70, version = 0 });
        var onB = adminB.PutAsJsonAsync("/api/settings", new { onlineMinutesInterval = 9, customerDataLifetime = 90, version = 0 });
        await Eventually.TrueAsync(async () => await WaitingInsertsAsync() >= 2 || onA.IsCompleted || onB.IsCompleted,
            "both saves wait at their insert");
        Assert.False(onA.IsCompleted || onB.IsCompleted, "a save finished while the table was held");
        await hold.CommitAsync();
        var replies = await Task.WhenAll(onA, onB);

        var statuses = replies.Select(r => r.StatusCode).Order().ToArray();
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], statuses);
        var saved = await replies.Single(r => r.StatusCode == HttpStatusCode.OK).Content.ReadFromJsonAsync<JsonElement>();
        var conflict = await replies.Single(r => r.StatusCode == HttpStatusCode.Conflict).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, saved.GetProperty("version").GetInt64());
        Assert.Equal("The settings were changed by someone else", conflict.GetProperty("title").GetString());
        Assert.Equal(1, conflict.GetProperty("currentVersion").GetInt64());
        Assert.Equal(TestApp.AdminEmail, conflict.GetProperty("changedBy").GetString());
        Assert.Contains("nothing was saved", conflict.GetProperty("detail").GetString());
        var history = await adminA.GetFromJsonAsync<JsonElement>("/api/settings/history");
        Assert.Equal(1, history.GetArrayLength());
        Assert.Equal(saved.GetProperty("onlineMinutesInterval").GetInt32(),
            history[0].GetProperty("new").GetProperty("onlineMinutesInterval").GetInt32());
    }

    private async Task<long> WaitingInsertsAsync()
    {
        await using var connection = new NpgsqlConnection(_cluster.ConnectionString);
        await connection.OpenAsync();
        await using var waiting = new NpgsqlCommand(
            """SELECT COUNT(*) FROM pg_locks WHERE relation = '"Settings"'::regclass AND NOT granted""", connection);
        return (long)(await waiting.ExecuteScalarAsync())!;
    }
}
