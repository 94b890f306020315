using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using NowOnline.Core.Admins;

namespace NowOnline.Core.Persistence.Configurations;

internal sealed class AdminUserConfiguration : IEntityTypeConfiguration<AdminUser>
{
    public void Configure(EntityTypeBuilder<AdminUser> builder)
    {
        builder.ToTable(Schema.AdminUsers);
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Email).HasMaxLength(254);
        builder.Property(a => a.NormalizedEmail).HasMaxLength(254);
        builder.HasIndex(a => a.NormalizedEmail).IsUnique();
        builder.Property(a => a.SecurityStamp).IsConcurrencyToken();
    }
}
