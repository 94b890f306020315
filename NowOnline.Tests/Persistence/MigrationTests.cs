using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using NowOnline.Core.Ingestion;
using NowOnline.Core.Persistence;
using NowOnline.Core.Persistence.Migrations.Legacy;
using NowOnline.Core.Presence;
using NowOnline.Tests.Support;

namespace NowOnline.Tests.Persistence;

public sealed class MigrationTests
{
    private const string FirstRelease = "20261124000000_InitialSchema";

    [Fact]
    public async Task Database_of_the_first_release_is_upgraded_in_place_and_keeps_its_data()
    {
        using var folder = new TempFolder();
        var path = folder.File("first-release.db");
        var now = DateTimeOffset.UtcNow;
        await CreateFirstReleaseDatabaseAsync(path, now);

        await using var app = await TestApp.StartAsync(databasePath: path);

        var storefront = app.Storefront();
        var settings = await storefront.GetFromJsonAsync<JsonElement>("/api/settings");
        Assert.Equal(30, settings.GetProperty("onlineMinutesInterval").GetInt32());
        var online = await storefront.GetFromJsonAsync<JsonElement>("/api/online");
        var row = Assert.Single(online.GetProperty("items").EnumerateArray());
        Assert.Equal(("s-old", 42L, "Lovelace"), (row.GetProperty("sessionId").GetString(), row.GetProperty("id").GetInt64(),
            row.GetProperty("lastName").GetString()));
        var cart = app.Services.GetRequiredService<PresenceTracker>().GetCart(42);
        Assert.Equal(new[] { ("WB-01", 2), ("YM-02", 1) }, cart.Select(l => (l.Sku, l.Qty)));

        var repeat = await storefront.PostEventAsync(new { eventId = "old-1", type = "cart_add", sessionId = "s-old", item = new { sku = "WB-01", qty = 2 } });
        Assert.Equal(HttpStatusCode.Accepted, repeat.StatusCode);
        Assert.Equal(1, (await repeat.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("duplicates").GetInt32());

        await using var connection = new SqliteConnection($"Data Source={path}");
        await connection.OpenAsync();
        Assert.Equal(["s-old", "s-old"], await ColumnAsync(connection, "SELECT SessionId FROM ActivityEvents ORDER BY Sequence"));
        // The log's random-key look-ups moved to tables of their own, filled from the rows already logged.
        var indexes = await ColumnAsync(connection, "SELECT name FROM sqlite_master WHERE type = 'index'");
        Assert.DoesNotContain("IX_ActivityEvents_SessionId_Sequence", indexes);
        Assert.DoesNotContain("IX_ActivityEvents_EventId", indexes);
        Assert.Equal(["old-1", "old-2"], await ColumnAsync(connection, "SELECT EventId FROM EventIds ORDER BY EventId"));
        Assert.Equal(["s-old", "s-old"], await ColumnAsync(connection, "SELECT SessionId FROM SessionEvents"));
        // The hand-written history, then the generated migrations from the baseline on.
        var applied = await ColumnAsync(connection, "SELECT MigrationId FROM __EFMigrationsHistory ORDER BY MigrationId");
        Assert.Equal(LegacyHistory.Migrations.Select(m => m.Id).Concat(GeneratedMigrations()), applied);
    }

    [Fact]
    public async Task Starting_twice_on_a_current_database_applies_no_migration_again()
    {
        await using var app = await TestApp.StartAsync();
        await using (var connection = new SqliteConnection($"Data Source={app.DatabasePath}"))
        {
            await connection.OpenAsync();
            Assert.NotEmpty(await ColumnAsync(connection, "SELECT MigrationId FROM __EFMigrationsHistory"));
        }

        await app.RestartAsync();

        await using var again = new SqliteConnection($"Data Source={app.DatabasePath}");
        await again.OpenAsync();
        var ids = await ColumnAsync(again, "SELECT MigrationId FROM __EFMigrationsHistory");
        Assert.Equal(ids.Distinct().Count(), ids.Count);
        Assert.Equal(GeneratedMigrations(), ids.Order(StringComparer.Ordinal));
    }

    /// <summary>What the first release left on disk: its schema only, a checkpoint, settings and one event in the log tail.</summary>
    private static async Task CreateFirstReleaseDatabaseAsync(string path, DateTimeOffset now)
    {
        await using (var db = Context(path))
            await LegacyHistory.CreateAsync(db, FirstRelease);

        var login = new ActivityEvent("old-1", ActivityType.CartAdd, "s-old", now.AddMinutes(-2), Item: new CartLine("WB-01", "Water bottle", 2));
        var tail = new ActivityEvent("old-2", ActivityType.CartAdd, "s-old", now.AddMinutes(-1), Item: new CartLine("YM-02", "Yoga mat", 1));
        await using var connection = new SqliteConnection($"Data Source={path}");
        await connection.OpenAsync();
        await using var seed = connection.CreateCommand();
        seed.CommandText = $"""
            INSERT INTO Settings (Id, OnlineMinutesInterval, CustomerDataLifetime, Version, UpdatedAtMs) VALUES (1, 30, 60, 1, 0);
            INSERT INTO Customers (Id, FirstName, LastName, Email) VALUES (42, 'Ada', 'Lovelace', 'ada@example.com');
            INSERT INTO Sessions (SessionId, CustomerId, StartedAtMs, LastActivityMs, LastUrl)
              VALUES ('s-old', 42, {now.AddMinutes(-5).ToUnixTimeMilliseconds()}, {now.AddMinutes(-2).ToUnixTimeMilliseconds()}, 'https://shop.example/');
            INSERT INTO CartItems (Owner, Sku, Name, Qty) VALUES ('c:42', 'WB-01', 'Water bottle', 2);
            INSERT INTO ActivityEvents (EventId, ReceivedAtMs, Payload) VALUES ('old-1', {now.AddMinutes(-2).ToUnixTimeMilliseconds()}, $first);
            INSERT INTO ActivityEvents (EventId, ReceivedAtMs, Payload) VALUES ('old-2', {now.AddMinutes(-1).ToUnixTimeMilliseconds()}, $second);
            INSERT INTO Checkpoints (Id, Sequence) VALUES (1, 1);
            """;
        seed.Parameters.AddWithValue("$first", EventJson.Serialize(login));
        seed.Parameters.AddWithValue("$second", EventJson.Serialize(tail));
        await seed.ExecuteNonQueryAsync();
    }

    internal static NowOnlineDb Context(string path) =>
        new(new DbContextOptionsBuilder<NowOnlineDb>().UseNowOnlineSqlite($"Data Source={path}").Options);

    /// <summary>The migrations dotnet ef generated (Migrations/Sqlite), in order.</summary>
    internal static List<string> GeneratedMigrations()
    {
        using var db = Context(":memory:");
        return db.Database.GetMigrations().ToList();
    }

    internal static async Task<List<string>> ColumnAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync()) values.Add(reader.GetString(0));
        return values;
    }
}
