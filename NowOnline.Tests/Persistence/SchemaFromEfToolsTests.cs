using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using NowOnline.Core.Persistence;
using NowOnline.Core.Persistence.Migrations.Legacy;
using NowOnline.Core.Presence;
using NowOnline.Tests.Support;
using static NowOnline.Tests.Persistence.MigrationTests;

namespace NowOnline.Tests.Persistence;

/// <summary>
/// The schema comes from the EF model through migrations that dotnet ef generated; databases of the release before
/// (hand-written migrations) are brought forward in place.
/// </summary>
public sealed class SchemaFromEfToolsTests
{
    /// <summary>
    /// Written by the release of 2026-11-24 (hand-written migrations) with a fake clock at 17:00:00Z: three customers
    /// (one logged out), two visitors, carts, 11 logged events with a checkpoint, settings saved twice (20 min / 90 min,
    /// two history rows), the first admin with two failed sign-ins, and one session's unsaved data.
    /// </summary>
    private const string ReleaseBeforeEfTools = "Persistence/Assets/release-2026-11-24.sqlite";

    private static readonly DateTimeOffset AssetWrittenAt = new(2026, 11, 25, 17, 2, 0, TimeSpan.Zero);

    [Fact]
    public void Model_has_no_change_that_the_generated_migrations_lack()
    {
        using var folder = new TempFolder();
        using var db = Context(folder.File("model.db"));

        Assert.False(db.Database.HasPendingModelChanges(),
            "The EF model differs from the last migration's snapshot: run dotnet ef migrations add (see the README).");
    }

    [Fact]
    public void PostgreSql_model_has_no_change_that_its_generated_migrations_lack()
    {
        // Comparing the model with the snapshot needs no server.
        using var db = new PostgreSqlNowOnlineDb(new DbContextOptionsBuilder<PostgreSqlNowOnlineDb>()
            .UseNpgsql("Host=127.0.0.1;Database=unused").Options);

        Assert.False(db.Database.HasPendingModelChanges(),
            "The EF model differs from the PostgreSQL snapshot: run dotnet ef migrations add --context PostgreSqlNowOnlineDb.");
    }

    [Fact]
    public async Task Database_of_the_release_before_upgrades_in_place_and_keeps_every_row()
    {
        using var folder = new TempFolder();
        var path = folder.File("upgraded.db");
        File.Copy(Path.Combine(AppContext.BaseDirectory, ReleaseBeforeEfTools), path);
        var before = await RowsAsync(path);
        Assert.Equal(11, before["ActivityEvents"].Count);
        Assert.Equal(5, before["Sessions"].Count);

        await using var app = await TestApp.StartAsync(databasePath: path, clock: new FakeClock(AssetWrittenAt));

        // The online list is restored: what the release before showed at 17:01:30.
        var storefront = app.Storefront();
        var online = await storefront.GetFromJsonAsync<JsonElement>("/api/online");
        Assert.Equal(["s-ada", "s-grace", "s-linus", "s-noid", "s-visitor"],
            online.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("sessionId").GetString()).Order());
        var ada = online.GetProperty("items").EnumerateArray().Single(r => r.GetProperty("sessionId").GetString() == "s-ada");
        Assert.Equal(("Lovelace", "Customer", "https://shop.example/bottle"),
            (ada.GetProperty("lastName").GetString(), ada.GetProperty("type").GetString(), ada.GetProperty("lastUrl").GetString()));
        Assert.Equal([("WB-01", 2)], app.Services.GetRequiredService<PresenceTracker>().GetCart(42).Select(l => (l.Sku, l.Qty)));
        var settings = await storefront.GetFromJsonAsync<JsonElement>("/api/settings");
        Assert.Equal((20, 90), (settings.GetProperty("onlineMinutesInterval").GetInt32(), settings.GetProperty("customerDataLifetime").GetInt32()));
        var data = await storefront.GetFromJsonAsync<JsonElement>("/api/sessions/s-ada/data");
        Assert.Contains("leave at the door", data.ToString());
        var admin = await app.AdminClientAsync();
        Assert.Equal(2, (await admin.GetFromJsonAsync<JsonElement>("/api/settings/history")).GetArrayLength());
        // An event id logged by the release before is still known: a repeat changes nothing.
        var repeat = await storefront.PostEventAsync(new { eventId = "e-02", type = "cart_add", sessionId = "s-ada", item = new { sku = "WB-01", qty = 2 } });
        Assert.Equal(HttpStatusCode.Accepted, repeat.StatusCode);
        Assert.Equal(1, (await repeat.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("duplicates").GetInt32());
        await app.StopAsync();

        var after = await RowsAsync(path);
        Assert.NotEmpty(before);
        foreach (var (table, rows) in before.Where(t => t.Key is not ("__EFMigrationsHistory" or "AdminUsers" or "sqlite_sequence")))
            // A later migration may add columns (they come last): the old columns keep their values.
            Assert.All(rows, row => Assert.Contains(after[table], a => a == row || a.StartsWith(row + "|", StringComparison.Ordinal)));
        // The admin signed in once more: the counter of failed sign-ins was reset by it, nothing else changed.
        Assert.Equal(before["AdminUsers"].Single().Replace("|2|", "|0|", StringComparison.Ordinal), after["AdminUsers"].Single());
        Assert.Equal(LegacyHistory.Migrations.Select(m => m.Id).Concat(GeneratedMigrations()),
            after["__EFMigrationsHistory"].Select(r => r.Split('|')[0]).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task New_database_and_upgraded_database_have_the_same_schema()
    {
        using var folder = new TempFolder();
        var upgraded = folder.File("upgraded.db");
        File.Copy(Path.Combine(AppContext.BaseDirectory, ReleaseBeforeEfTools), upgraded);
        var created = folder.File("new.db");
        await using (var db = Context(upgraded))
        {
            Assert.True(await LegacyHistory.BringForwardAsync(db));
            await db.Database.MigrateAsync();
        }

        await using (var db = Context(created)) await db.Database.MigrateAsync();

        var expected = await SchemaAsync(created);
        Assert.Contains("Sessions WITHOUT ROWID", expected);
        Assert.Contains("EventIds WITHOUT ROWID", expected);
        Assert.Contains("index IX_Sessions_LastActivityMs on Sessions (LastActivityMs)", expected);
        Assert.Contains("ActivityEvents.Sequence INTEGER not null pk1 autoincrement", expected);
        Assert.Equal(expected, await SchemaAsync(upgraded));
    }

    [Fact]
    public async Task Every_hand_written_release_is_brought_forward_to_the_same_schema()
    {
        using var folder = new TempFolder();
        var created = folder.File("new.db");
        await using (var db = Context(created)) await db.Database.MigrateAsync();
        var expected = await SchemaAsync(created);

        Assert.NotEmpty(LegacyHistory.Migrations);
        foreach (var (id, _) in LegacyHistory.Migrations)
        {
            var path = folder.File($"{id}.db");
            await using (var db = Context(path))
            {
                await LegacyHistory.CreateAsync(db, id);
                Assert.True(await LegacyHistory.BringForwardAsync(db));
                await db.Database.MigrateAsync();
            }

            Assert.Equal(expected, await SchemaAsync(path));
        }
    }

    [Fact]
    public async Task Unknown_storage_provider_stops_the_app_with_a_message_naming_the_key()
    {
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            TestApp.StartAsync(new Dictionary<string, string?> { ["Storage:Provider"] = "Oracle" }));

        Assert.Contains("Storage:Provider", failure.Message);
        Assert.Contains("'Oracle'", failure.Message);
    }

    /// <summary>Every row of every table, as "a|b|c" text, by table.</summary>
    private static async Task<Dictionary<string, List<string>>> RowsAsync(string path)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync();
        var rows = new Dictionary<string, List<string>>();
        foreach (var table in await ColumnAsync(connection, "SELECT name FROM sqlite_master WHERE type = 'table'"))
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT * FROM \"{table}\"";
            await using var reader = await command.ExecuteReaderAsync();
            var list = rows[table] = [];
            while (await reader.ReadAsync())
                list.Add(string.Join('|', Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "null" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))));
        }

        return rows;
    }

    /// <summary>Tables, columns (type, null, key position, autoincrement), WITHOUT ROWID and indexes, in a fixed order.</summary>
    private static async Task<List<string>> SchemaAsync(string path)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync();
        var lines = new List<string>();
        var tables = await ColumnAsync(connection,
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__EFMigrations%' ORDER BY name");
        foreach (var table in tables)
        {
            var sql = (await ColumnAsync(connection, $"SELECT sql FROM sqlite_master WHERE name = '{table}'"))[0];
            if (sql.Contains("WITHOUT ROWID", StringComparison.OrdinalIgnoreCase)) lines.Add($"{table} WITHOUT ROWID");
            await using (var columns = connection.CreateCommand())
            {
                columns.CommandText = $"SELECT name, type, \"notnull\", pk FROM pragma_table_info('{table}') ORDER BY name";
                await using var reader = await columns.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    var name = reader.GetString(0);
                    var autoincrement = reader.GetInt64(3) > 0 && sql.Contains("AUTOINCREMENT", StringComparison.OrdinalIgnoreCase);
                    lines.Add($"{table}.{name} {reader.GetString(1)} {(reader.GetInt64(2) == 1 ? "not null" : "null")}"
                              + (reader.GetInt64(3) > 0 ? $" pk{reader.GetInt64(3)}" : "") + (autoincrement ? " autoincrement" : ""));
                }
            }

            foreach (var index in await ColumnAsync(connection,
                         $"SELECT name || ' ' || \"unique\" || ' ' || origin FROM pragma_index_list('{table}') ORDER BY name"))
            {
                var name = index.Split(' ')[0];
                var columns = string.Join(", ", await ColumnAsync(connection, $"SELECT name FROM pragma_index_info('{name}') ORDER BY seqno"));
                // Primary key indexes are named by SQLite (sqlite_autoindex_…); the key itself is in the column lines.
                if (!name.StartsWith("sqlite_", StringComparison.Ordinal))
                    lines.Add($"index {name} on {table} ({columns}){(index.Split(' ')[1] == "1" ? " unique" : "")}");
            }
        }

        return lines;
    }
}
