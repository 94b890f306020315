using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace NowOnline.Core.Persistence.Configurations;

internal sealed class CartItemConfiguration : IEntityTypeConfiguration<CartItemRecord>
{
    public void Configure(EntityTypeBuilder<CartItemRecord> builder)
    {
        builder.ToTable("CartItems");
        builder.HasKey(c => new { c.Owner, c.Sku });
    }
}
