using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace NowOnline.Core.Persistence.Configurations;

internal sealed class SettingsConfiguration : IEntityTypeConfiguration<SettingsRecord>
{
    public void Configure(EntityTypeBuilder<SettingsRecord> builder)
    {
        builder.ToTable(Schema.Settings);
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Id).ValueGeneratedNever();
        builder.Property(s => s.Version).IsConcurrencyToken();
    }
}
