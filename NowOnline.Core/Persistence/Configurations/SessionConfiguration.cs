using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace NowOnline.Core.Persistence.Configurations;

internal sealed class SessionConfiguration : IEntityTypeConfiguration<SessionRecord>
{
    public void Configure(EntityTypeBuilder<SessionRecord> builder)
    {
        builder.ToTable(Schema.Sessions.Table);
        builder.HasKey(s => s.SessionId);
        // A text key: as a rowid table it would be two B-trees (rows, key index), two random pages per checkpointed row.
        builder.IsWithoutRowidOnSqlite();
        builder.HasIndex(s => s.LastActivityMs);
    }
}
