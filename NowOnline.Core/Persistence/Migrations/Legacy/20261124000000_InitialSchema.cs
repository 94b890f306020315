using Microsoft.EntityFrameworkCore.Migrations;

namespace NowOnline.Core.Persistence.Migrations.Legacy;

/// <summary>Hand-written: EF Core's design-time tools do not restore here (see docs/decisions).</summary>
internal sealed class InitialSchema : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "Customers",
            columns: table => new
            {
                Id = table.Column<long>(type: "INTEGER", nullable: false),
                FirstName = table.Column<string>(type: "TEXT", nullable: true),
                LastName = table.Column<string>(type: "TEXT", nullable: true),
                Email = table.Column<string>(type: "TEXT", nullable: true),
                Company = table.Column<string>(type: "TEXT", nullable: true),
            },
            constraints: table => table.PrimaryKey("PK_Customers", x => x.Id));

        migrationBuilder.CreateTable(
            name: "Sessions",
            columns: table => new
            {
                SessionId = table.Column<string>(type: "TEXT", nullable: false),
                CustomerId = table.Column<long>(type: "INTEGER", nullable: true),
                StartedAtMs = table.Column<long>(type: "INTEGER", nullable: false),
                LastActivityMs = table.Column<long>(type: "INTEGER", nullable: false),
                LastUrl = table.Column<string>(type: "TEXT", nullable: true),
                Store = table.Column<string>(type: "TEXT", nullable: true),
                UserAgent = table.Column<string>(type: "TEXT", nullable: true),
            },
            constraints: table => table.PrimaryKey("PK_Sessions", x => x.SessionId));
        migrationBuilder.CreateIndex("IX_Sessions_LastActivityMs", "Sessions", "LastActivityMs");

        migrationBuilder.CreateTable(
            name: "CartItems",
            columns: table => new
            {
                Owner = table.Column<string>(type: "TEXT", nullable: false),
                Sku = table.Column<string>(type: "TEXT", nullable: false),
                Name = table.Column<string>(type: "TEXT", nullable: true),
                Qty = table.Column<int>(type: "INTEGER", nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_CartItems", x => new { x.Owner, x.Sku }));

        migrationBuilder.CreateTable(
            name: "Settings",
            columns: table => new
            {
                Id = table.Column<int>(type: "INTEGER", nullable: false),
                OnlineMinutesInterval = table.Column<int>(type: "INTEGER", nullable: false),
                CustomerDataLifetime = table.Column<int>(type: "INTEGER", nullable: false),
                Version = table.Column<long>(type: "INTEGER", nullable: false),
                UpdatedAtMs = table.Column<long>(type: "INTEGER", nullable: false),
                UpdatedBy = table.Column<string>(type: "TEXT", nullable: true),
            },
            constraints: table => table.PrimaryKey("PK_Settings", x => x.Id));

        migrationBuilder.CreateTable(
            name: "ActivityEvents",
            columns: table => new
            {
                Sequence = table.Column<long>(type: "INTEGER", nullable: false).Annotation("Sqlite:Autoincrement", true),
                EventId = table.Column<string>(type: "TEXT", nullable: true),
                ReceivedAtMs = table.Column<long>(type: "INTEGER", nullable: false),
                Payload = table.Column<string>(type: "TEXT", nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_ActivityEvents", x => x.Sequence));
        migrationBuilder.CreateIndex("IX_ActivityEvents_EventId", "ActivityEvents", "EventId", unique: true);
        migrationBuilder.CreateIndex("IX_ActivityEvents_ReceivedAtMs", "ActivityEvents", "ReceivedAtMs");

        migrationBuilder.CreateTable(
            name: "Checkpoints",
            columns: table => new
            {
                Id = table.Column<int>(type: "INTEGER", nullable: false),
                Sequence = table.Column<long>(type: "INTEGER", nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_Checkpoints", x => x.Id));
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        foreach (var table in new[] { "Checkpoints", "ActivityEvents", "Settings", "CartItems", "Sessions", "Customers" })
            migrationBuilder.DropTable(table);
    }
}
