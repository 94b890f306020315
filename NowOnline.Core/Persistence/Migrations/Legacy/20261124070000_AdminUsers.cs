using Microsoft.EntityFrameworkCore.Migrations;

namespace NowOnline.Core.Persistence.Migrations.Legacy;

/// <summary>Hand-written (no design-time tools here): the admins who may sign in.</summary>
internal sealed class AdminUsers : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "AdminUsers",
            columns: table => new
            {
                Id = table.Column<long>(type: "INTEGER", nullable: false).Annotation("Sqlite:Autoincrement", true),
                Email = table.Column<string>(type: "TEXT", maxLength: 254, nullable: false),
                NormalizedEmail = table.Column<string>(type: "TEXT", maxLength: 254, nullable: false),
                PasswordHash = table.Column<string>(type: "TEXT", nullable: false),
                SecurityStamp = table.Column<string>(type: "TEXT", nullable: false),
                FailedSignIns = table.Column<int>(type: "INTEGER", nullable: false),
                LockedUntilMs = table.Column<long>(type: "INTEGER", nullable: true),
                CreatedAtMs = table.Column<long>(type: "INTEGER", nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_AdminUsers", x => x.Id));
        migrationBuilder.CreateIndex("IX_AdminUsers_NormalizedEmail", "AdminUsers", "NormalizedEmail", unique: true);
    }

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropTable("AdminUsers");
}
