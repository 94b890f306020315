using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace NowOnline.Core.Persistence.Configurations;

internal sealed class ActivityEventConfiguration : IEntityTypeConfiguration<ActivityEventRecord>
{
    public void Configure(EntityTypeBuilder<ActivityEventRecord> builder)
    {
        builder.ToTable(Schema.ActivityEvents.Table);
        builder.HasKey(e => e.Sequence);
        builder.Property(e => e.Sequence).ValueGeneratedOnAdd();
        builder.HasIndex(e => e.ReceivedAtMs);
        // Event id and session look-ups live in the EventIds and SessionEvents tables (filled at each checkpoint by raw
        // statements), so that a commit only appends: see docs/architecture.md ("The writer").
    }
}
