using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace NowOnline.Core.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AppliedSequence : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "AppliedSequence",
                table: "Sessions",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<long>(
                name: "AppliedSequence",
                table: "Customers",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<long>(
                name: "AppliedSequence",
                table: "CartItems",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "AppliedSequence",
                table: "Sessions");

            migrationBuilder.DropColumn(
                name: "AppliedSequence",
                table: "Customers");

            migrationBuilder.DropColumn(
                name: "AppliedSequence",
                table: "CartItems");
        }
    }
}
