using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace NowOnline.Core.Persistence.Configurations;

internal sealed class SessionEventConfiguration : IEntityTypeConfiguration<SessionEventRecord>
{
    public void Configure(EntityTypeBuilder<SessionEventRecord> builder)
    {
        builder.ToTable(Schema.SessionEvents.Table);
        builder.HasKey(e => new { e.SessionId, e.Sequence });
        builder.Property(e => e.Sequence).ValueGeneratedNever();
        builder.IsWithoutRowidOnSqlite();
    }
}
