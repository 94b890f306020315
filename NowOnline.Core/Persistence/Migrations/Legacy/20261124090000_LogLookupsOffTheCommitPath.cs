using Microsoft.EntityFrameworkCore.Migrations;

namespace NowOnline.Core.Persistence.Migrations.Legacy;

/// <summary>
/// Moves the event log's two random-key indexes (event id for exactly-once, session id for timelines) out of the commit
/// path: they become tables of their own that the writer fills in key order with each state checkpoint, so a commit only
/// appends to the log (sequence and receive time, both increasing). See docs/architecture.md ("The writer").
/// </summary>
internal sealed class LogLookupsOffTheCommitPath : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            CREATE TABLE EventIds (
              EventId TEXT NOT NULL CONSTRAINT PK_EventIds PRIMARY KEY,
              Sequence INTEGER NOT NULL) WITHOUT ROWID;
            """);
        migrationBuilder.Sql("""
            CREATE TABLE SessionEvents (
              SessionId TEXT NOT NULL,
              Sequence INTEGER NOT NULL,
              CONSTRAINT PK_SessionEvents PRIMARY KEY (SessionId, Sequence)) WITHOUT ROWID;
            """);
        migrationBuilder.Sql("""
            INSERT OR IGNORE INTO EventIds (EventId, Sequence)
            SELECT EventId, Sequence FROM ActivityEvents WHERE EventId IS NOT NULL ORDER BY EventId;
            """);
        migrationBuilder.Sql("""
            INSERT OR IGNORE INTO SessionEvents (SessionId, Sequence)
            SELECT SessionId, Sequence FROM ActivityEvents WHERE SessionId IS NOT NULL ORDER BY SessionId, Sequence;
            """);
        migrationBuilder.DropIndex("IX_ActivityEvents_EventId", "ActivityEvents");
        migrationBuilder.DropIndex("IX_ActivityEvents_SessionId_Sequence", "ActivityEvents");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateIndex("IX_ActivityEvents_EventId", "ActivityEvents", "EventId", unique: true);
        migrationBuilder.CreateIndex("IX_ActivityEvents_SessionId_Sequence", "ActivityEvents", ["SessionId", "Sequence"]);
        migrationBuilder.Sql("DROP TABLE SessionEvents;");
        migrationBuilder.Sql("DROP TABLE EventIds;");
    }
}
