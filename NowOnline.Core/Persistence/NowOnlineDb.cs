using Microsoft.EntityFrameworkCore;
using NowOnline.Core.Admins;
using NowOnline.Core.Trend;

namespace NowOnline.Core.Persistence;

/// <summary>
/// The whole schema, on SQLite (this type, migrations in Migrations/Sqlite). Tables written on the hot path by raw
/// statements are mapped too, so that <c>dotnet ef migrations add</c> knows every table (names in <see cref="Schema"/>).
/// </summary>
public class NowOnlineDb : DbContext
{
    public NowOnlineDb(DbContextOptions<NowOnlineDb> options) : base(options)
    {
    }

    /// <summary>For a provider's own context type, which has its own migrations (EF finds migrations by context type).</summary>
    protected NowOnlineDb(DbContextOptions options) : base(options)
    {
    }

    public DbSet<CustomerRecord> Customers => Set<CustomerRecord>();
    public DbSet<SessionRecord> Sessions => Set<SessionRecord>();
    public DbSet<CartItemRecord> CartItems => Set<CartItemRecord>();
    public DbSet<SettingsRecord> Settings => Set<SettingsRecord>();
    public DbSet<ActivityEventRecord> ActivityEvents => Set<ActivityEventRecord>();
    public DbSet<EventIdRecord> EventIds => Set<EventIdRecord>();
    public DbSet<SessionEventRecord> SessionEvents => Set<SessionEventRecord>();
    public DbSet<CheckpointRecord> Checkpoints => Set<CheckpointRecord>();
    public DbSet<StorageProbeRecord> StorageProbes => Set<StorageProbeRecord>();
    public DbSet<AdminUser> AdminUsers => Set<AdminUser>();
    public DbSet<SettingsAuditRecord> SettingsAudit => Set<SettingsAuditRecord>();
    public DbSet<SessionDataRecord> SessionData => Set<SessionDataRecord>();
    public DbSet<TrendPoint> TrendPoints => Set<TrendPoint>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(NowOnlineDb).Assembly);
}
