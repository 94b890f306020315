using System.Net;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Operations;
using NowOnline.Core.Persistence;
using NowOnline.Tests.Support;

namespace NowOnline.Tests.Persistence;

/// <summary>
/// The upgrade rule of docs/operations.md, "Upgrades": a release only expands the schema (new tables, new columns that
/// are nullable or have a default, new indexes); what an older release still reads or writes is removed (contracted)
/// one release later. So during a rolling upgrade a node of the previous migration level keeps working on the
/// migrated database, and the previous release's database is upgraded in place at start.
/// </summary>
public sealed class RollingUpgradeTests
{
    /// <summary>
    /// Migrations allowed to contract (drop, rename, alter), each once every release that used what it removes is gone.
    /// Add an id here only with the release that stopped using it named beside it.
    /// </summary>
    private static readonly HashSet<string> Contractions = [];

    public static TheoryData<string> Providers => ["Sqlite", "PostgreSql"];

    [Theory]
    [MemberData(nameof(Providers))]
    public void Every_migration_only_expands_the_schema_unless_it_is_a_listed_contraction(string provider)
    {
        using var db = Context(provider);
        var migrations = db.GetService<IMigrationsAssembly>();
        Assert.NotEmpty(migrations.Migrations);

        var problems = new List<string>();
        foreach (var (id, type) in migrations.Migrations.Skip(1)) // the baseline creates everything from nothing
        {
            var migration = migrations.CreateMigration(type, db.Database.ProviderName!);
            var created = migration.UpOperations.OfType<CreateTableOperation>().Select(t => t.Name).ToHashSet();
            foreach (var operation in migration.UpOperations)
                if (Contraction(operation, created) is { } what && !Contractions.Contains(id))
                    problems.Add($"{provider} {id}: {what}");
        }

        Assert.True(problems.Count == 0,
            "A migration contracts the schema, so a node of the previous release would break during a rolling upgrade " +
            $"(docs/operations.md, \"Upgrades\"):\n{string.Join('\n', problems)}");
    }

    [Fact]
    public async Task Every_table_and_column_of_the_previous_migration_level_is_still_there_and_every_new_column_fills_itself()
    {
        using var folder = new TempFolder();
        var path = folder.File("rolling.db");
        string previous;
        IModel previousModel;
        await using (var db = MigrationTests.Context(path))
        {
            var migrations = db.GetService<IMigrationsAssembly>();
            Assert.True(migrations.Migrations.Count >= 2, "there is a previous migration level");
            previous = migrations.Migrations.Keys.Order(StringComparer.Ordinal).SkipLast(1).Last();
            previousModel = migrations.CreateMigration(migrations.Migrations[previous], db.Database.ProviderName!).TargetModel!;
            await db.GetService<IMigrator>().MigrateAsync(previous);
        }

        var before = await ColumnsAsync(path);
        await using (var db = MigrationTests.Context(path))
            await db.Database.MigrateAsync();
        var after = await ColumnsAsync(path);

        var expected = previousModel.GetEntityTypes().Where(e => e.GetTableName() is not null)
            .SelectMany(e => e.GetProperties().Select(p => (Table: e.GetTableName()!, Column: p.GetColumnName())))
            .Distinct().ToList();
        Assert.NotEmpty(expected);
        foreach (var (table, column) in expected)
        {
            Assert.True(before.ContainsKey((table, column)), $"{table}.{column} exists at {previous}");
            Assert.True(after.ContainsKey((table, column)), $"{table}.{column}, used by a node at {previous}, is still there after the upgrade");
        }

        foreach (var (key, fillsItself) in after.Where(column => !before.ContainsKey(column.Key)))
            Assert.True(fillsItself, $"{key.Table}.{key.Column} is new since {previous}: it must be nullable or have a default, " +
                                     "so an insert by a node that does not know it still succeeds");
    }

    [Fact]
    public async Task Database_of_the_previous_migration_level_is_upgraded_in_place_and_keeps_taking_events()
    {
        using var folder = new TempFolder();
        var path = folder.File("previous.db");
        await using (var db = MigrationTests.Context(path))
        {
            var ids = db.Database.GetMigrations().ToList();
            await db.GetService<IMigrator>().MigrateAsync(ids[^2]);
        }

        await using var app = await TestApp.StartAsync(databasePath: path);
        using var storefront = app.Storefront();
        var shop = StorefrontEvents.Tagged();

        Assert.Equal(HttpStatusCode.Accepted, (await storefront.PostEventAsync(shop.CartAdd("upgraded"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await storefront.GetAsync($"/api/sessions/{shop.SessionId("upgraded")}")).StatusCode);
        await using var connection = new SqliteConnection($"Data Source={path}");
        await connection.OpenAsync();
        Assert.Equal(MigrationTests.GeneratedMigrations(), await MigrationTests.ColumnAsync(connection, "SELECT MigrationId FROM __EFMigrationsHistory ORDER BY MigrationId"));
    }

    /// <summary>What an operation takes away from a node of the previous release, or null when it only adds.</summary>
    private static string? Contraction(MigrationOperation operation, HashSet<string> createdHere) => operation switch
    {
        CreateTableOperation or EnsureSchemaOperation or CreateSequenceOperation => null,
        AddColumnOperation { IsNullable: true } => null,
        AddColumnOperation add when add.DefaultValue is not null || add.DefaultValueSql is not null || add.ComputedColumnSql is not null => null,
        AddColumnOperation add => $"adds {add.Table}.{add.Name} NOT NULL without a default (an older node's inserts would fail)",
        CreateIndexOperation { IsUnique: false } => null,
        CreateIndexOperation index when createdHere.Contains(index.Table) => null,
        CreateIndexOperation index => $"adds a unique index {index.Name} on the existing table {index.Table}",
        _ => $"{operation.GetType().Name.Replace("Operation", "", StringComparison.Ordinal)} ({Describe(operation)})",
    };

    private static string Describe(MigrationOperation operation) => operation switch
    {
        ColumnOperation column => $"{column.Table}.{column.Name}",
        DropColumnOperation drop => $"{drop.Table}.{drop.Name}",
        DropTableOperation drop => drop.Name,
        RenameColumnOperation rename => $"{rename.Table}.{rename.Name} -> {rename.NewName}",
        RenameTableOperation rename => $"{rename.Name} -> {rename.NewName}",
        SqlOperation sql => sql.Sql.Length > 80 ? sql.Sql[..80] + "…" : sql.Sql,
        _ => operation.ToString() ?? "",
    };

    private static DbContext Context(string provider) => provider == "Sqlite"
        ? MigrationTests.Context(":memory:")
        : new PostgreSqlNowOnlineDb(new DbContextOptionsBuilder<PostgreSqlNowOnlineDb>().UseNpgsql("Host=localhost;Database=nowonline").Options);

    /// <summary>Every column of every table: whether an insert that leaves it out still succeeds (nullable or defaulted).</summary>
    private static async Task<Dictionary<(string Table, string Column), bool>> ColumnsAsync(string path)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync();
        var tables = await MigrationTests.ColumnAsync(connection,
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '__EFMigrationsHistory'");
        var columns = new Dictionary<(string, string), bool>();
        foreach (var table in tables)
        {
            await using var info = connection.CreateCommand();
            info.CommandText = $"SELECT name, \"notnull\", dflt_value, pk FROM pragma_table_info('{table}')";
            await using var reader = await info.ExecuteReaderAsync();
            while (await reader.ReadAsync())
                columns[(table, reader.GetString(0))] = reader.GetInt64(1) == 0 || !reader.IsDBNull(2) || reader.GetInt64(3) > 0;
        }

        return columns;
    }
}
