using Microsoft.Data.Sqlite;

namespace NowOnline.Core.Persistence;

/// <summary>
/// A consistent copy of the SQLite database while the app runs, through SQLite's online backup API: one read
/// transaction copies every page as of one moment (in WAL mode the writer goes on meanwhile), so the copy holds every
/// event acknowledged before the backup began. The copy is written beside the target and renamed into place, so a
/// failed backup never leaves half a file under the target's name. The look-up file (ADR-009) is not copied: the app
/// rebuilds it from the log when it starts on the copy.
/// </summary>
public static class SqliteBackup
{
    /// <summary>Copies <paramref name="source"/> to <paramref name="destination"/>; returns the copy's size in bytes.</summary>
    public static async Task<long> WriteAsync(SqliteDatabase source, string destination, CancellationToken cancellationToken = default)
    {
        var from = Path.GetFullPath(source.FilePath);
        var to = Path.GetFullPath(destination);
        if (!File.Exists(from))
            throw new BackupException($"There is no database at {from} (ConnectionStrings:NowOnline, Storage:DataDirectory).");
        if (Directory.Exists(to))
            throw new BackupException($"{to} is a folder; name the backup file, e.g. {Path.Combine(to, "nowonline-backup.db")}.");
        if (string.Equals(from, to, StringComparison.Ordinal))
            throw new BackupException("The backup cannot replace the database itself; name another file.");
        var folder = Path.GetDirectoryName(to)!;
        if (!Directory.Exists(folder)) throw new BackupException($"The folder {folder} does not exist.");

        var partial = Path.Combine(folder, $".{Path.GetFileName(to)}.{Guid.NewGuid():N}.partial");
        try
        {
            var reading = new SqliteConnectionStringBuilder(source.ConnectionString) { Pooling = false };
            await using (var database = new SqliteConnection(reading.ToString()))
            await using (var copy = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = partial, Pooling = false }.ToString()))
            {
                await database.OpenAsync(cancellationToken);
                await using (var wait = database.CreateCommand())
                {
                    // The writer holds its lock only for a commit; a backup waits for it rather than failing.
                    wait.CommandText = "PRAGMA busy_timeout=10000;";
                    await wait.ExecuteNonQueryAsync(cancellationToken);
                }

                await copy.OpenAsync(cancellationToken);
                database.BackupDatabase(copy);
                await using var check = copy.CreateCommand();
                // The copy keeps WAL mode from the source's header; fold it into one self-contained file.
                check.CommandText = "PRAGMA journal_mode=DELETE; PRAGMA quick_check;";
                await using var reader = await check.ExecuteReaderAsync(cancellationToken);
                await reader.NextResultAsync(cancellationToken);
                if (!await reader.ReadAsync(cancellationToken) || reader.GetString(0) != "ok")
                    throw new BackupException("The copy failed SQLite's quick_check; the database was not backed up.");
            }

            File.Move(partial, to, overwrite: true);
            return new FileInfo(to).Length;
        }
        finally
        {
            if (File.Exists(partial)) File.Delete(partial);
            foreach (var leftover in new[] { "-journal", "-wal", "-shm" }.Select(suffix => partial + suffix).Where(File.Exists))
                File.Delete(leftover);
        }
    }
}

/// <summary>A backup that could not be made; the message says why in the operator's words.</summary>
public sealed class BackupException(string message) : Exception(message);
