using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace NowOnline.Core.Persistence.Configurations;

internal sealed class ActivityEventConfiguration : IEntityTypeConfiguration<ActivityEventRecord>
{
    public void Configure(EntityTypeBuilder<ActivityEventRecord> builder)
    {
        builder.ToTable("ActivityEvents");
        builder.HasKey(e => e.Sequence);
        builder.Property(e => e.Sequence).ValueGeneratedOnAdd();
        builder.HasIndex(e => e.EventId).IsUnique();
        builder.HasIndex(e => e.ReceivedAtMs);
        builder.HasIndex(e => new { e.SessionId, e.Sequence });
    }
}
