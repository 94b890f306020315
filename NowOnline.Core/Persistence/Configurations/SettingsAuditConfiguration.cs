using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace NowOnline.Core.Persistence.Configurations;

internal sealed class SettingsAuditConfiguration : IEntityTypeConfiguration<SettingsAuditRecord>
{
    public void Configure(EntityTypeBuilder<SettingsAuditRecord> builder)
    {
        builder.ToTable(Schema.SettingsAudit);
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Id).ValueGeneratedOnAdd();
        builder.HasIndex(a => a.ChangedAtMs);
    }
}
