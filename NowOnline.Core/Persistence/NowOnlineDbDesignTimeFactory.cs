using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace NowOnline.Core.Persistence;

/// <summary>
/// What <c>dotnet ef</c> builds the SQLite context with (the web app's start-up migrates and loads state, which the tools
/// must not do). The connection string only names a file for commands that touch a database (<c>database update</c>).
/// </summary>
internal sealed class NowOnlineDbDesignTimeFactory : IDesignTimeDbContextFactory<NowOnlineDb>
{
    public NowOnlineDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<NowOnlineDb>().UseNowOnlineSqlite("Data Source=data/design-time.db").Options);
}
