using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage;

namespace NowOnline.Core.Persistence.Migrations.Legacy;

/// <summary>
/// Brings a database of the releases before the schema came from <c>dotnet ef</c> (the hand-written migrations below,
/// ids in its __EFMigrationsHistory) up to the generated baseline, so that EF's own Migrate carries on from there. These
/// classes are frozen and invisible to EF's migrator (no [Migration] attribute): a new database is built by the generated
/// migrations only. ADR-006 explains the choice.
/// </summary>
internal static class LegacyHistory
{
    private const string Provider = "Microsoft.EntityFrameworkCore.Sqlite";

    /// <summary>The hand-written migrations, in the order they were applied; their final schema is the baseline's.</summary>
    public static readonly IReadOnlyList<(string Id, Func<Migration> Create)> Migrations =
    [
        ("20261124000000_InitialSchema", () => new InitialSchema()),
        ("20261124050000_SettingsAuditAndSessionData", () => new SettingsAuditAndSessionData()),
        ("20261124060000_ActivityEventSessionAndStorageProbe", () => new ActivityEventSessionAndStorageProbe()),
        ("20261124070000_AdminUsers", () => new AdminUsers()),
        ("20261124090000_LogLookupsOffTheCommitPath", () => new LogLookupsOffTheCommitPath()),
        ("20261124090100_StateTablesWithoutRowid", () => new StateTablesWithoutRowid()),
    ];

    /// <summary>
    /// On a database with a hand-written history and no baseline: applies the hand-written migrations it lacks, then
    /// records the baseline as applied (its schema is already there). Does nothing on a new or a current database.
    /// </summary>
    /// <returns>Whether the database had a hand-written history that was brought forward.</returns>
    public static async Task<bool> BringForwardAsync(NowOnlineDb db, CancellationToken cancellationToken = default)
    {
        var history = db.GetService<IHistoryRepository>();
        if (!await history.ExistsAsync(cancellationToken)) return false;
        var applied = (await history.GetAppliedMigrationsAsync(cancellationToken)).Select(r => r.MigrationId).ToHashSet(StringComparer.Ordinal);
        var baseline = BaselineId(db);
        if (applied.Contains(baseline) || !Migrations.Any(m => applied.Contains(m.Id))) return false;

        await ApplyAsync(db, Migrations.Where(m => !applied.Contains(m.Id)), cancellationToken);
        await db.Database.ExecuteSqlRawAsync(
            history.GetInsertScript(new HistoryRow(baseline, ProductInfo.GetVersion())), cancellationToken);
        return true;
    }

    /// <summary>Builds a database as a release before the baseline did, up to and including <paramref name="throughId"/> (tests).</summary>
    public static async Task CreateAsync(NowOnlineDb db, string throughId, CancellationToken cancellationToken = default)
    {
        await db.GetService<IHistoryRepository>().CreateIfNotExistsAsync(cancellationToken);
        var index = Migrations.Select(m => m.Id).ToList().IndexOf(throughId);
        if (index < 0) throw new ArgumentException($"No hand-written migration {throughId}.", nameof(throughId));
        await ApplyAsync(db, Migrations.Take(index + 1), cancellationToken);
    }

    /// <summary>The first generated migration: the schema the hand-written ones ended with.</summary>
    public static string BaselineId(NowOnlineDb db) => db.GetService<IMigrationsAssembly>().Migrations.Keys.Order(StringComparer.Ordinal).First();

    private static async Task ApplyAsync(NowOnlineDb db, IEnumerable<(string Id, Func<Migration> Create)> migrations,
        CancellationToken cancellationToken)
    {
        var generator = db.GetService<IMigrationsSqlGenerator>();
        var executor = db.GetService<IMigrationCommandExecutor>();
        var connection = db.GetService<IRelationalConnection>();
        var history = db.GetService<IHistoryRepository>();
        foreach (var (id, create) in migrations)
        {
            var migration = create();
            migration.ActiveProvider = Provider;
            // As EF's migrator ran them: each one's SQL and its history row in one transaction.
            var commands = generator.Generate(migration.UpOperations).ToList();
            commands.Add(new MigrationCommand(
                db.GetService<IRawSqlCommandBuilder>().Build(history.GetInsertScript(new HistoryRow(id, ProductInfo.GetVersion()))),
                db, db.GetService<Microsoft.EntityFrameworkCore.Diagnostics.IRelationalCommandDiagnosticsLogger>()));
            await executor.ExecuteNonQueryAsync(commands, connection, cancellationToken);
        }
    }
}
