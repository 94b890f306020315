using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace NowOnline.Core.Persistence.Configurations;

internal sealed class CheckpointConfiguration : IEntityTypeConfiguration<CheckpointRecord>
{
    public void Configure(EntityTypeBuilder<CheckpointRecord> builder)
    {
        builder.ToTable(Schema.Checkpoints.Table);
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Id).ValueGeneratedNever();
    }
}
