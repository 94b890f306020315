using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace NowOnline.Core.Persistence.Configurations;

internal sealed class SessionDataConfiguration : IEntityTypeConfiguration<SessionDataRecord>
{
    public void Configure(EntityTypeBuilder<SessionDataRecord> builder)
    {
        builder.ToTable(Schema.SessionData.Table);
        builder.HasKey(d => d.SessionId);
        builder.HasIndex(d => d.UpdatedAtMs);
    }
}
