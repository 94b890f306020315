using Microsoft.EntityFrameworkCore.Migrations;

namespace NowOnline.Core.Persistence.Migrations.Legacy;

/// <summary>
/// Gives each logged event its session (for per-session timelines and retention), filled in from the payload
/// of the events already logged, and adds the row the storage health probe writes.
/// </summary>
internal sealed class ActivityEventSessionAndStorageProbe : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<string>(name: "SessionId", table: "ActivityEvents", type: "TEXT", nullable: true);
        migrationBuilder.Sql("UPDATE ActivityEvents SET SessionId = json_extract(Payload, '$.sessionId') WHERE SessionId IS NULL;");
        migrationBuilder.CreateIndex("IX_ActivityEvents_SessionId_Sequence", "ActivityEvents", ["SessionId", "Sequence"]);

        migrationBuilder.CreateTable(
            name: "StorageProbes",
            columns: table => new
            {
                Id = table.Column<int>(type: "INTEGER", nullable: false),
                WrittenAtMs = table.Column<long>(type: "INTEGER", nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_StorageProbes", x => x.Id));
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable("StorageProbes");
        migrationBuilder.DropIndex("IX_ActivityEvents_SessionId_Sequence", "ActivityEvents");
        migrationBuilder.DropColumn("SessionId", "ActivityEvents");
    }
}
