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
        builder.HasIndex(e => e.ReceivedAtMs);
        // Event id and session look-ups live in the EventIds and SessionEvents tables (raw SQL, filled at each checkpoint),
        // so that a commit only appends: see migration 20261124090000_LogLookupsOffTheCommitPath.
    }
}
