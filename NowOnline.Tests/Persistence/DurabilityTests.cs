using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using NowOnline.Core.Presence;
using NowOnline.Core.Settings;
using NowOnline.Tests.Support;

namespace NowOnline.Tests.Persistence;

/// <summary>A 202 means committed; what was applied survives a restart and is never applied twice.</summary>
public sealed class DurabilityTests
{
    private static object CartAdd(string eventId, string session, string sku, int qty = 1) =>
        new { eventId, type = "cart_add", sessionId = session, item = new { sku, qty } };

    private static async Task<JsonElement> ReplyAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task Accepted_event_is_already_committed_in_the_database_file()
    {
        await using var app = await TestApp.StartAsync();

        await ReplyAsync(await app.Storefront().PostEventAsync(CartAdd("e-1", "v-1", "WB-01")));

        // A separate connection sees only committed data: the event is in the WAL-mode file before anything else happens.
        await using var connection = new SqliteConnection($"Data Source={app.DatabasePath}");
        await connection.OpenAsync();
        Assert.Equal(["v-1"], await MigrationTests.ColumnAsync(connection, "SELECT SessionId FROM ActivityEvents WHERE EventId = 'e-1'"));
        Assert.Equal(["wal"], await MigrationTests.ColumnAsync(connection, "PRAGMA journal_mode"));
    }

    [Fact]
    public async Task Repeated_event_after_a_restart_is_reported_as_a_duplicate_and_changes_nothing()
    {
        await using var app = await TestApp.StartAsync();
        await ReplyAsync(await app.Storefront().PostEventAsync(CartAdd("e-1", "v-1", "WB-01", qty: 2)));

        await app.RestartAsync();
        var reply = await ReplyAsync(await app.Storefront().PostEventAsync(new[] { CartAdd("e-1", "v-1", "WB-01", qty: 2), CartAdd("e-2", "v-1", "YM-02") }));

        Assert.Equal((1, 1), (reply.GetProperty("accepted").GetInt32(), reply.GetProperty("duplicates").GetInt32()));
        var cart = app.Services.GetRequiredService<PresenceTracker>().GetCart(null, "v-1");
        Assert.Equal(new[] { ("WB-01", 2), ("YM-02", 1) }, cart.Select(l => (l.Sku, l.Qty)));
    }

    [Fact]
    public async Task Event_id_no_longer_in_memory_but_still_in_the_log_is_a_duplicate_not_an_error()
    {
        var clock = new FakeClock(DateTimeOffset.UtcNow);
        await using var app = await TestApp.StartAsync(new Dictionary<string, string?> { ["Presence:EventIdRetentionMinutes"] = "1" }, clock: clock);
        var tracker = app.Services.GetRequiredService<PresenceTracker>();
        await ReplyAsync(await app.Storefront().PostEventAsync(CartAdd("e-1", "v-1", "WB-01")));
        clock.Advance(TimeSpan.FromMinutes(6));
        await Eventually.TrueAsync(() => !tracker.KnownEvents(["e-1"])[0], "the tracker forgets the event id after its window");

        var reply = await ReplyAsync(await app.Storefront().PostEventAsync(new[] { CartAdd("e-1", "v-1", "WB-01"), CartAdd("e-2", "v-1", "YM-02") }));

        Assert.Equal((1, 1), (reply.GetProperty("accepted").GetInt32(), reply.GetProperty("duplicates").GetInt32()));
        Assert.Equal(new[] { ("WB-01", 1), ("YM-02", 1) }, tracker.GetCart(null, "v-1").Select(l => (l.Sku, l.Qty)));
    }

    [Fact]
    public async Task Settings_customers_sessions_and_carts_are_the_same_after_a_restart()
    {
        await using var app = await TestApp.StartAsync();
        var saved = await app.Services.GetRequiredService<SettingsService>().SaveAsync(new OnlineSettings(45, 90), 0, "test");
        Assert.Equal(SettingsSaveOutcome.Saved, saved.Outcome);
        await ReplyAsync(await app.Storefront().PostEventAsync(new object[]
        {
            new { type = "login", sessionId = "s-1", customer = new { id = 42, firstName = "Ada", lastName = "Lovelace", email = "ada@example.com" },
                  url = "https://shop.example/account", store = "de" },
            CartAdd("e-1", "s-1", "WB-01", qty: 3),
            CartAdd("e-2", "v-9", "YM-02"),
        }));

        await app.RestartAsync();

        var storefront = app.Storefront();
        var settings = await storefront.GetFromJsonAsync<JsonElement>("/api/settings");
        Assert.Equal((45, 90), (settings.GetProperty("onlineMinutesInterval").GetInt32(), settings.GetProperty("customerDataLifetime").GetInt32()));
        var tracker = app.Services.GetRequiredService<PresenceTracker>();
        Assert.Equal(TimeSpan.FromMinutes(45), tracker.Interval);
        Assert.Equal(("Ada", "ada@example.com"), (tracker.GetCustomer(42)?.FirstName, tracker.GetCustomer(42)?.Email));
        var session = tracker.GetSession("s-1");
        Assert.True(session is { Online: true, Type: SessionType.Customer, CustomerId: 42 });
        Assert.Equal(("WB-01", 3), (Assert.Single(tracker.GetCart(42)).Sku, tracker.GetCart(42)[0].Qty));
        Assert.Equal("YM-02", Assert.Single(tracker.GetCart(null, "v-9")).Sku);
    }

    [Fact]
    public async Task Session_that_expired_while_the_app_was_down_is_not_shown_after_the_restart()
    {
        var clock = new FakeClock(DateTimeOffset.UtcNow);
        await using var app = await TestApp.StartAsync(clock: clock);
        await ReplyAsync(await app.Storefront().PostEventAsync(new
        {
            type = "login", sessionId = "s-early", customer = new { id = 42, firstName = "Ada" },
        }));
        await ReplyAsync(await app.Storefront().PostEventAsync(CartAdd("e-1", "s-early", "WB-01")));
        clock.Advance(TimeSpan.FromMinutes(10));
        await ReplyAsync(await app.Storefront().PostEventAsync(CartAdd("e-2", "v-late", "YM-02")));
        await app.StopAsync();

        clock.Advance(TimeSpan.FromMinutes(10)); // s-early idle 20 minutes, v-late 10: the interval is 15
        await app.StartAsync();

        var online = await app.Storefront().GetFromJsonAsync<JsonElement>("/api/online");
        Assert.Equal(["v-late"], online.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("sessionId").GetString()));
        var tracker = app.Services.GetRequiredService<PresenceTracker>();
        Assert.False(tracker.GetSession("s-early")?.Online);
        Assert.Equal("WB-01", Assert.Single(tracker.GetCart(42)).Sku); // the cart is kept for the next login
    }

    [Fact]
    public async Task Online_session_is_restored_even_when_session_retention_is_shorter_than_the_interval()
    {
        var clock = new FakeClock(DateTimeOffset.UtcNow);
        await using var app = await TestApp.StartAsync(new Dictionary<string, string?> { ["Presence:SessionRetentionMinutes"] = "1" }, clock: clock);
        await ReplyAsync(await app.Storefront().PostEventAsync(CartAdd("e-1", "v-1", "WB-01")));
        await app.StopAsync();

        clock.Advance(TimeSpan.FromMinutes(5));
        await app.StartAsync();

        Assert.True(app.Services.GetRequiredService<PresenceTracker>().GetSession("v-1")?.Online);
    }
}
