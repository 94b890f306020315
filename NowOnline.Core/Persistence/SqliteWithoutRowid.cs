using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Operations;
#pragma warning disable EF1001 // SqliteAnnotationProvider is EF's own SQLite provider service: extended, not copied.
using Microsoft.EntityFrameworkCore.Sqlite.Metadata.Internal;

namespace NowOnline.Core.Persistence;

/// <summary>
/// SQLite <c>WITHOUT ROWID</c> tables in the EF model, which EF Core has no setting for: an entity annotation
/// (<see cref="IsWithoutRowidOnSqlite{T}"/>) that reaches the migrations' <c>CreateTable</c> operations through
/// <see cref="WithoutRowidAnnotationProvider"/> and becomes SQL in <see cref="WithoutRowidMigrationsSqlGenerator"/>.
/// Other providers ignore it. See docs/decisions/ADR-006-schema-from-ef-tools.md.
/// </summary>
public static class SqliteWithoutRowid
{
    public const string Annotation = "NowOnline:SqliteWithoutRowid";

    /// <summary>Stores the table as a B-tree on its primary key (no rowid) when the provider is SQLite.</summary>
    public static EntityTypeBuilder<T> IsWithoutRowidOnSqlite<T>(this EntityTypeBuilder<T> builder) where T : class =>
        builder.HasAnnotation(Annotation, true);

    /// <summary>The SQLite provider with NowOnline's two migration services (every SQLite context of the app uses this).</summary>
    public static DbContextOptionsBuilder UseNowOnlineSqlite(this DbContextOptionsBuilder options, string connectionString) =>
        options.UseSqlite(connectionString)
            .ReplaceService<Microsoft.EntityFrameworkCore.Metadata.IRelationalAnnotationProvider, WithoutRowidAnnotationProvider>()
            .ReplaceService<IMigrationsSqlGenerator, WithoutRowidMigrationsSqlGenerator>();

    /// <inheritdoc cref="UseNowOnlineSqlite(DbContextOptionsBuilder, string)"/>
    public static DbContextOptionsBuilder<T> UseNowOnlineSqlite<T>(this DbContextOptionsBuilder<T> options, string connectionString)
        where T : DbContext
    {
        ((DbContextOptionsBuilder)options).UseNowOnlineSqlite(connectionString);
        return options;
    }
}

/// <summary>Carries the entity annotation to the table, so the migrations differ puts it on CreateTable operations.</summary>
internal sealed class WithoutRowidAnnotationProvider(RelationalAnnotationProviderDependencies dependencies)
    : SqliteAnnotationProvider(dependencies)
{
    public override IEnumerable<IAnnotation> For(ITable table, bool designTime)
    {
        foreach (var annotation in base.For(table, designTime)) yield return annotation;
        if (table.EntityTypeMappings.Any(m => m.TypeBase[SqliteWithoutRowid.Annotation] is true))
            yield return new Annotation(SqliteWithoutRowid.Annotation, true);
    }
}

/// <summary>Appends <c>WITHOUT ROWID</c> to the CREATE TABLE of an annotated table.</summary>
internal sealed class WithoutRowidMigrationsSqlGenerator(MigrationsSqlGeneratorDependencies dependencies,
    Microsoft.EntityFrameworkCore.Metadata.IRelationalAnnotationProvider annotations)
    : SqliteMigrationsSqlGenerator(dependencies, annotations)
{
    protected override void Generate(CreateTableOperation operation, IModel? model, MigrationCommandListBuilder builder, bool terminate = true)
    {
        if (operation[SqliteWithoutRowid.Annotation] is not true)
        {
            base.Generate(operation, model, builder, terminate);
            return;
        }

        base.Generate(operation, model, builder, terminate: false);
        builder.Append(" WITHOUT ROWID");
        if (!terminate) return;
        builder.AppendLine(Dependencies.SqlGenerationHelper.StatementTerminator);
        EndStatement(builder);
    }
}
