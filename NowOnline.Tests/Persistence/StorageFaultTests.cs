using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using NowOnline.Core.Ingestion;
using NowOnline.Core.Settings;
using NowOnline.Tests.Support;

namespace NowOnline.Tests.Persistence;

/// <summary>
/// When the database cannot be written: 503 with Retry-After and nothing applied, the online list keeps serving,
/// /healthz is unhealthy, and the service turns healthy again by itself once storage is back.
/// </summary>
public sealed class StorageFaultTests
{
    private static object Login(string session) =>
        new { type = "login", sessionId = session, customer = new { id = 42, firstName = "Ada", lastName = "Lovelace" } };

    private static object CartAdd(string eventId, string session, string? name = null) =>
        new { eventId, type = "cart_add", sessionId = session, item = new { sku = "WB-" + eventId, name, qty = 1 } };

    private static async Task AcceptedAsync(Task<HttpResponseMessage> post, int accepted = 1)
    {
        var response = await post;
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(accepted, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accepted").GetInt32());
    }

    private static async Task RefusedAsync(Task<HttpResponseMessage> post)
    {
        var response = await post;
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero, "503 carries Retry-After");
        Assert.Contains("nothing was stored", await response.Content.ReadAsStringAsync());
    }

    private static async Task<string[]> OnlineSessionsAsync(TestApp app)
    {
        var online = await app.Storefront().GetFromJsonAsync<JsonElement>("/api/online?take=200");
        return online.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("sessionId").GetString()!).Order().ToArray();
    }

    private static async Task<HttpStatusCode> HealthAsync(TestApp app) => (await app.Anonymous().GetAsync("/healthz")).StatusCode;

    private static Task HealthyAgainAsync(TestApp app) =>
        Eventually.TrueAsync(async () => await HealthAsync(app) == HttpStatusCode.OK, "/healthz turns healthy by itself", seconds: 30);

    [Fact]
    public async Task Locked_database_refuses_events_keeps_serving_and_recovers_by_itself()
    {
        await using var app = await TestApp.StartAsync();
        await AcceptedAsync(app.Storefront().PostEventAsync(Login("s-1")));
        Assert.Equal(HttpStatusCode.OK, await HealthAsync(app));

        await using (var holder = new SqliteConnection($"Data Source={app.DatabasePath};Pooling=False"))
        {
            await holder.OpenAsync();
            await using (var begin = holder.CreateCommand())
            {
                begin.CommandText = "BEGIN EXCLUSIVE";
                await begin.ExecuteNonQueryAsync();
            }

            await RefusedAsync(app.Storefront().PostEventAsync(CartAdd("e-2", "v-2")));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, await HealthAsync(app));
            Assert.Equal(["s-1"], await OnlineSessionsAsync(app));
        }

        await HealthyAgainAsync(app);
        await AcceptedAsync(app.Storefront().PostEventAsync(CartAdd("e-2", "v-2"))); // accepted, not a duplicate: nothing was kept
        Assert.Equal(["s-1", "v-2"], await OnlineSessionsAsync(app));
    }

    [ImmutableFileFact]
    public async Task Read_only_database_file_refuses_events_keeps_serving_and_recovers_by_itself()
    {
        StorageFaults.Require(StorageFaults.CannotMakeImmutable);
        await using var app = await TestApp.StartAsync();
        await AcceptedAsync(app.Storefront().PostEventAsync(Login("s-1")));
        var files = StorageFaults.DatabaseFiles(app.DatabasePath);

        StorageFaults.SetImmutable(true, files);
        try
        {
            await RefusedAsync(app.Storefront().PostEventAsync(CartAdd("e-2", "v-2")));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, await HealthAsync(app));
            Assert.Equal(["s-1"], await OnlineSessionsAsync(app));
        }
        finally
        {
            StorageFaults.SetImmutable(false, files);
        }

        await HealthyAgainAsync(app);
        await AcceptedAsync(app.Storefront().PostEventAsync(CartAdd("e-2", "v-2")));
        Assert.Equal(["s-1", "v-2"], await OnlineSessionsAsync(app));
    }

    [TmpfsFact]
    public async Task Nearly_full_disk_refuses_events_before_sqlite_fails_and_recovers_when_space_returns()
    {
        StorageFaults.Require(StorageFaults.CannotMountTmpfs);
        using var folder = new TempFolder();
        using var disk = StorageFaults.MountTmpfs(folder.File("disk"), megabytes: 8);
        await using var app = await TestApp.StartAsync(new Dictionary<string, string?> { ["Storage:MinimumFreeMegabytes"] = "2" },
            databasePath: Path.Combine(disk.Path, "nowonline.db"));
        await AcceptedAsync(app.Storefront().PostEventAsync(Login("s-1")));

        var filler = disk.Fill();
        // The guard looks at the volume at most four times a second; within that window a small commit may still fit
        // (the WAL file is reused once the background checkpointer has copied it): wait until the guard has seen it.
        await Eventually.TrueAsync(async () => await HealthAsync(app) == HttpStatusCode.ServiceUnavailable, "the guard sees the full disk");
        await RefusedAsync(app.Storefront().PostEventAsync(CartAdd("e-2", "v-2")));
        Assert.Equal(["s-1"], await OnlineSessionsAsync(app));

        File.Delete(filler);
        await HealthyAgainAsync(app);
        await AcceptedAsync(app.Storefront().PostEventAsync(CartAdd("e-2", "v-2")));
        Assert.Equal(["s-1", "v-2"], await OnlineSessionsAsync(app));
    }

    [TmpfsFact]
    public async Task Full_disk_during_a_commit_refuses_the_whole_batch_and_applies_nothing()
    {
        StorageFaults.Require(StorageFaults.CannotMountTmpfs);
        using var folder = new TempFolder();
        using var disk = StorageFaults.MountTmpfs(folder.File("disk"), megabytes: 8);
        await using var app = await TestApp.StartAsync(new Dictionary<string, string?> { ["Storage:MinimumFreeMegabytes"] = "0" },
            databasePath: Path.Combine(disk.Path, "nowonline.db"));
        await AcceptedAsync(app.Storefront().PostEventAsync(Login("s-1")));
        var name = new string('x', 200);
        var batch = Enumerable.Range(0, 1000).Select(i => CartAdd($"b-{i}", $"v-{i % 50}", name)).ToArray();

        var filler = disk.Fill();
        await RefusedAsync(app.Storefront().PostEventAsync(batch));
        Assert.Equal(["s-1"], await OnlineSessionsAsync(app));

        File.Delete(filler);
        await HealthyAgainAsync(app);
        await AcceptedAsync(app.Storefront().PostEventAsync(batch), accepted: 1000);
        Assert.Equal(51, (await OnlineSessionsAsync(app)).Length);
    }

    [Fact]
    public async Task Saving_settings_on_a_locked_database_reports_storage_unavailable_not_a_lost_race()
    {
        await using var app = await TestApp.StartAsync();
        var settings = app.Services.GetRequiredService<SettingsService>();

        await using (var holder = new SqliteConnection($"Data Source={app.DatabasePath};Pooling=False"))
        {
            await holder.OpenAsync();
            await using (var begin = holder.CreateCommand())
            {
                begin.CommandText = "BEGIN EXCLUSIVE";
                await begin.ExecuteNonQueryAsync();
            }

            await Assert.ThrowsAsync<StorageUnavailableException>(() => settings.SaveAsync(new OnlineSettings(30, 60), 0, "test"));
            Assert.Equal(OnlineSettings.Default, settings.Current.Settings);
        }

        Assert.Equal(SettingsSaveOutcome.Saved, (await settings.SaveAsync(new OnlineSettings(30, 60), 0, "test")).Outcome);

        Assert.Equal(TimeSpan.FromMinutes(30), app.Services.GetRequiredService<NowOnline.Core.Presence.PresenceTracker>().Interval);
    }

    [Fact]
    public async Task Put_settings_on_a_locked_database_answers_503_and_saves_nothing()
    {
        await using var app = await TestApp.StartAsync();
        var admin = await app.AdminClientAsync();

        await using (var holder = new SqliteConnection($"Data Source={app.DatabasePath};Pooling=False"))
        {
            await holder.OpenAsync();
            await using (var begin = holder.CreateCommand())
            {
                begin.CommandText = "BEGIN EXCLUSIVE";
                await begin.ExecuteNonQueryAsync();
            }

            var response = await admin.PutAsJsonAsync("/api/settings", new { onlineMinutesInterval = 30, customerDataLifetime = 60, version = 0 });

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.NotNull(response.Headers.RetryAfter);
        }

        var current = await admin.GetFromJsonAsync<JsonElement>("/api/settings");
        Assert.Equal((15, 0), (current.GetProperty("onlineMinutesInterval").GetInt32(), current.GetProperty("version").GetInt32()));
    }

    [Fact]
    public async Task Every_connection_to_the_file_commits_with_synchronous_full()
    {
        await using var app = await TestApp.StartAsync();
        var database = app.Services.GetRequiredService<NowOnline.Core.Persistence.SqliteDatabase>();

        // The writer's connections set it explicitly; EF Core's (settings, admin users) get SQLite's compiled-in default.
        await using var writer = await database.OpenAsync();
        await using var plain = new SqliteConnection(database.ConnectionString);
        await plain.OpenAsync();

        Assert.Equal(["2"], await SynchronousAsync(writer));
        Assert.Equal(["2"], await SynchronousAsync(plain));
    }

    private static async Task<List<string>> SynchronousAsync(SqliteConnection connection)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA synchronous";
        return [Convert.ToString(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture)!];
    }
}
