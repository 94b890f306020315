using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using NowOnline.Tests.Support;
using NowOnline.Web.Security;

namespace NowOnline.Tests.Operations;

/// <summary><c>admin backup --to PATH</c>, run in-process against the SQLite file of a running app, and the restore.</summary>
public sealed class BackupTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Backup_taken_while_events_are_ingested_restores_every_event_acknowledged_before_it_began()
    {
        var shop = StorefrontEvents.Tagged();
        var acknowledged = new ConcurrentQueue<string>();
        var backup = _folder.File("backup.db");
        string[] before;
        int afterBackup;
        await using (var app = await TestApp.StartAsync())
        {
            using var stop = new CancellationTokenSource();
            var posters = Enumerable.Range(0, 3).Select(poster => Task.Run(async () =>
            {
                using var storefront = app.Storefront();
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    var session = $"p{poster}-{i}";
                    var reply = await storefront.PostEventAsync(shop.CartAdd(session));
                    Assert.Equal(HttpStatusCode.Accepted, reply.StatusCode);
                    acknowledged.Enqueue(shop.SessionId(session));
                }
            })).ToArray();
            await Eventually.TrueAsync(() => acknowledged.Count >= 60, "events are being ingested");

            before = acknowledged.ToArray();
            var (exit, output, error) = await RunAsync("admin", "backup", "--to", backup, $"--ConnectionStrings:NowOnline=Data Source={app.DatabasePath}");
            afterBackup = acknowledged.Count;
            await Eventually.TrueAsync(() => acknowledged.Count > afterBackup + 30, "the app goes on ingesting after the backup");
            await stop.CancelAsync();
            await Task.WhenAll(posters);

            Assert.True(exit == AdminCommand.Ok, error);
            Assert.Contains($"Backed up {app.DatabasePath} to {backup}", output);
        }

        Assert.NotEmpty(before);
        await using var restored = await TestApp.StartAsync(databasePath: backup);
        using var client = restored.Storefront();
        foreach (var session in before)
        {
            var reply = await client.GetAsync($"/api/sessions/{session}");
            Assert.True(reply.StatusCode == HttpStatusCode.OK, $"{session}, acknowledged before the backup began, is in the restored app ({reply.StatusCode})");
            Assert.True((await reply.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("online").GetBoolean());
        }

        Assert.Equal(HttpStatusCode.Accepted, (await client.PostEventAsync(shop.CartAdd("after-restore"))).StatusCode);
    }

    [Fact]
    public async Task Backup_replaces_an_older_backup_and_leaves_no_partial_file()
    {
        await using var app = await TestApp.StartAsync();
        var backup = _folder.File("nightly.db");
        await File.WriteAllTextAsync(backup, "yesterday's backup");

        var (exit, _, error) = await RunAsync("admin", "backup", $"--to={backup}", $"--ConnectionStrings:NowOnline=Data Source={app.DatabasePath}");

        Assert.True(exit == AdminCommand.Ok, error);
        Assert.Equal("SQLite format 3\0", System.Text.Encoding.ASCII.GetString((await File.ReadAllBytesAsync(backup))[..16]));
        Assert.Equal(["nightly.db"], Directory.GetFiles(_folder.Path).Select(Path.GetFileName).Where(n => !n!.StartsWith("nowonline", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Backup_without_a_target_or_of_a_missing_database_or_into_a_missing_folder_fails_with_a_message()
    {
        var noTarget = await RunAsync("admin", "backup", $"--ConnectionStrings:NowOnline=Data Source={_folder.File("x.db")}");
        var noDatabase = await RunAsync("admin", "backup", "--to", _folder.File("copy.db"), $"--ConnectionStrings:NowOnline=Data Source={_folder.File("missing.db")}");
        var noFolder = await RunAsync("admin", "backup", "--to", _folder.File("gone/copy.db"), $"--ConnectionStrings:NowOnline=Data Source={_folder.File("missing.db")}");
        var onPostgres = await RunAsync("admin", "backup", "--to", _folder.File("copy.db"), "--Storage:Provider=PostgreSql",
            "--ConnectionStrings:NowOnline=Host=127.0.0.1;Database=nowonline");

        Assert.Equal(AdminCommand.Usage, noTarget.Exit);
        Assert.Contains("Name the backup file with --to.", noTarget.Error);
        Assert.Equal(AdminCommand.Failed, noDatabase.Exit);
        Assert.Contains($"There is no database at {_folder.File("missing.db")}", noDatabase.Error);
        Assert.False(File.Exists(_folder.File("missing.db")), "a backup never creates the database it was to copy");
        Assert.Equal(AdminCommand.Failed, noFolder.Exit);
        Assert.NotEqual(AdminCommand.Ok, onPostgres.Exit);
        Assert.Contains("pg_dump", onPostgres.Error);
        Assert.Empty(Directory.GetFiles(_folder.Path));
    }

    private static async Task<(int Exit, string Out, string Error)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var console = new AdminConsole(new StringReader(""), output, error, _ => null, ReadHidden: null);
        var exit = await AdminCommand.RunAsync(args, console);
        return (exit, output.ToString(), error.ToString());
    }
}
