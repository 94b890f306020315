using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NowOnline.Core.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class TrendPoints : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "TrendPoints",
                columns: table => new
                {
                    AtMs = table.Column<long>(type: "INTEGER", nullable: false),
                    Online = table.Column<int>(type: "INTEGER", nullable: false),
                    Customers = table.Column<int>(type: "INTEGER", nullable: false),
                    Visitors = table.Column<int>(type: "INTEGER", nullable: false),
                    Events = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TrendPoints", x => x.AtMs);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "TrendPoints");
        }
    }
}
