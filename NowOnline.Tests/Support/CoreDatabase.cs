using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using NowOnline.Core.Persistence;

namespace NowOnline.Tests.Support;

/// <summary>A migrated SQLite file of its own for Core tests that need the database but not the app.</summary>
public sealed class CoreDatabase : IDisposable
{
    private readonly TempFolder _folder = new();

    public CoreDatabase()
    {
        Sqlite = new SqliteDatabase($"Data Source={_folder.File("core.db")}");
        Contexts = new PooledDbContextFactory<NowOnlineDb>(
            new DbContextOptionsBuilder<NowOnlineDb>().UseSqlite(Sqlite.ConnectionString).Options);
        using var db = Contexts.CreateDbContext();
        db.Database.Migrate();
    }

    public SqliteDatabase Sqlite { get; }

    public IDbContextFactory<NowOnlineDb> Contexts { get; }

    public void Dispose() => _folder.Dispose();
}
