using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace NowOnline.Core.Persistence.Configurations;

internal sealed class EventIdConfiguration : IEntityTypeConfiguration<EventIdRecord>
{
    public void Configure(EntityTypeBuilder<EventIdRecord> builder)
    {
        builder.ToTable(Schema.EventIds.Table);
        builder.HasKey(e => e.EventId);
        builder.IsWithoutRowidOnSqlite();
    }
}
