using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NowOnline.Core.Persistence.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class ActivityEventIdIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_ActivityEvents_EventId",
                table: "ActivityEvents",
                column: "EventId",
                filter: "\"EventId\" IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_ActivityEvents_EventId",
                table: "ActivityEvents");
        }
    }
}
