using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace NowOnline.Core.Persistence.Configurations;

internal sealed class CartItemConfiguration : IEntityTypeConfiguration<CartItemRecord>
{
    public void Configure(EntityTypeBuilder<CartItemRecord> builder)
    {
        builder.ToTable(Schema.CartItems.Table);
        builder.HasKey(c => new { c.Owner, c.Sku });
        // One B-tree keyed by (Owner, Sku): a cart's lines, rewritten at each checkpoint, stay together on one page.
        builder.IsWithoutRowidOnSqlite();
    }
}
