using Microsoft.EntityFrameworkCore;
using NowOnline.Core.Admins;

namespace NowOnline.Core.Persistence;

public sealed class NowOnlineDb(DbContextOptions<NowOnlineDb> options) : DbContext(options)
{
    public DbSet<CustomerRecord> Customers => Set<CustomerRecord>();
    public DbSet<SessionRecord> Sessions => Set<SessionRecord>();
    public DbSet<CartItemRecord> CartItems => Set<CartItemRecord>();
    public DbSet<SettingsRecord> Settings => Set<SettingsRecord>();
    public DbSet<ActivityEventRecord> ActivityEvents => Set<ActivityEventRecord>();
    public DbSet<CheckpointRecord> Checkpoints => Set<CheckpointRecord>();
    public DbSet<StorageProbeRecord> StorageProbes => Set<StorageProbeRecord>();
    public DbSet<AdminUser> AdminUsers => Set<AdminUser>();
    public DbSet<SettingsAuditRecord> SettingsAudit => Set<SettingsAuditRecord>();
    public DbSet<SessionDataRecord> SessionData => Set<SessionDataRecord>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(NowOnlineDb).Assembly);
}
