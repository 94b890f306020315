using Microsoft.EntityFrameworkCore.Migrations;

namespace NowOnline.Core.Persistence.Migrations.Legacy;

/// <summary>
/// Rebuilds the checkpoint's state tables <c>Sessions</c> and <c>CartItems</c> as <c>WITHOUT ROWID</c> tables keyed by
/// their text primary key, rows kept. A rowid table with a text key is two B-trees (the rows, and the key's index), so
/// each row a checkpoint wrote touched two random pages; a cart's lines, deleted and inserted again, also moved to new
/// rowids at the end of the table. Keyed by (Owner, Sku), a cart's lines stay together on one page.
/// </summary>
internal sealed class StateTablesWithoutRowid : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            CREATE TABLE Sessions_new (
              SessionId TEXT NOT NULL CONSTRAINT PK_Sessions PRIMARY KEY,
              CustomerId INTEGER NULL,
              StartedAtMs INTEGER NOT NULL,
              LastActivityMs INTEGER NOT NULL,
              LastUrl TEXT NULL,
              Store TEXT NULL,
              UserAgent TEXT NULL) WITHOUT ROWID;
            """);
        migrationBuilder.Sql("""
            INSERT INTO Sessions_new (SessionId, CustomerId, StartedAtMs, LastActivityMs, LastUrl, Store, UserAgent)
            SELECT SessionId, CustomerId, StartedAtMs, LastActivityMs, LastUrl, Store, UserAgent FROM Sessions;
            """);
        migrationBuilder.Sql("DROP TABLE Sessions;");
        migrationBuilder.Sql("ALTER TABLE Sessions_new RENAME TO Sessions;");
        migrationBuilder.CreateIndex("IX_Sessions_LastActivityMs", "Sessions", "LastActivityMs");

        migrationBuilder.Sql("""
            CREATE TABLE CartItems_new (
              Owner TEXT NOT NULL,
              Sku TEXT NOT NULL,
              Name TEXT NULL,
              Qty INTEGER NOT NULL,
              CONSTRAINT PK_CartItems PRIMARY KEY (Owner, Sku)) WITHOUT ROWID;
            """);
        migrationBuilder.Sql("INSERT INTO CartItems_new (Owner, Sku, Name, Qty) SELECT Owner, Sku, Name, Qty FROM CartItems;");
        migrationBuilder.Sql("DROP TABLE CartItems;");
        migrationBuilder.Sql("ALTER TABLE CartItems_new RENAME TO CartItems;");
    }

    // Same columns, keys and rows either way: WITHOUT ROWID only changes how SQLite stores them.
    protected override void Down(MigrationBuilder migrationBuilder)
    {
    }
}
