using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace NowOnline.Core.Persistence.Configurations;

internal sealed class StorageProbeConfiguration : IEntityTypeConfiguration<StorageProbeRecord>
{
    public void Configure(EntityTypeBuilder<StorageProbeRecord> builder)
    {
        builder.ToTable(Schema.StorageProbes.Table);
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Id).ValueGeneratedNever();
    }
}
