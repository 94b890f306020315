using Microsoft.EntityFrameworkCore.Migrations;

namespace NowOnline.Core.Persistence.Migrations.Legacy;

/// <summary>Hand-written (issue 4): the settings audit trail and the shoppers' unsaved session data.</summary>
internal sealed class SettingsAuditAndSessionData : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "SettingsAudit",
            columns: table => new
            {
                Id = table.Column<long>(type: "INTEGER", nullable: false).Annotation("Sqlite:Autoincrement", true),
                Version = table.Column<long>(type: "INTEGER", nullable: false),
                ChangedAtMs = table.Column<long>(type: "INTEGER", nullable: false),
                ChangedBy = table.Column<string>(type: "TEXT", nullable: false),
                OldOnlineMinutesInterval = table.Column<int>(type: "INTEGER", nullable: false),
                NewOnlineMinutesInterval = table.Column<int>(type: "INTEGER", nullable: false),
                OldCustomerDataLifetime = table.Column<int>(type: "INTEGER", nullable: false),
                NewCustomerDataLifetime = table.Column<int>(type: "INTEGER", nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_SettingsAudit", x => x.Id));
        migrationBuilder.CreateIndex("IX_SettingsAudit_ChangedAtMs", "SettingsAudit", "ChangedAtMs");

        migrationBuilder.CreateTable(
            name: "SessionData",
            columns: table => new
            {
                SessionId = table.Column<string>(type: "TEXT", nullable: false),
                Json = table.Column<string>(type: "TEXT", nullable: false),
                UpdatedAtMs = table.Column<long>(type: "INTEGER", nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_SessionData", x => x.SessionId));
        migrationBuilder.CreateIndex("IX_SessionData_UpdatedAtMs", "SessionData", "UpdatedAtMs");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable("SessionData");
        migrationBuilder.DropTable("SettingsAudit");
    }
}
