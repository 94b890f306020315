using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace NowOnline.Core.Trend;

internal sealed class TrendPointConfiguration : IEntityTypeConfiguration<TrendPoint>
{
    public void Configure(EntityTypeBuilder<TrendPoint> builder)
    {
        builder.ToTable("TrendPoints");
        builder.HasKey(p => p.AtMs);
        builder.Property(p => p.AtMs).ValueGeneratedNever();
        builder.Ignore(p => p.At);
    }
}
