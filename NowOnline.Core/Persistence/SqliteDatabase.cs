using Microsoft.Data.Sqlite;

namespace NowOnline.Core.Persistence;

/// <summary>
/// Opens connections to the NowOnline SQLite file with the pragmas the durability guarantee rests on:
/// WAL journal, <c>synchronous=FULL</c> (a committed transaction survives a crash or power loss) and a busy timeout.
/// </summary>
public sealed class SqliteDatabase
{
    public SqliteDatabase(string connectionString, int minimumFreeMegabytes = 0)
    {
        MinimumFreeBytes = minimumFreeMegabytes * 1024L * 1024L;
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (string.IsNullOrWhiteSpace(builder.DataSource))
            throw new InvalidOperationException("ConnectionStrings:NowOnline has no 'Data Source'.");
        if (builder.DataSource != ":memory:" && Path.GetDirectoryName(Path.GetFullPath(builder.DataSource)) is { } folder)
            Directory.CreateDirectory(folder);
        builder.Pooling = true;
        // Microsoft.Data.Sqlite retries a busy database for this long on top of busy_timeout (30 s by default):
        // keep the single writer from stalling every request behind an outside lock.
        builder.DefaultTimeout = 3;
        ConnectionString = builder.ToString();
        FilePath = builder.DataSource;
    }

    /// <summary>
    /// The connection string with a relative <c>Data Source</c> made absolute inside <paramref name="dataDirectory"/>
    /// (<see cref="StorageOptions.DataDirectory"/>); an absolute path or <c>:memory:</c> stays as it is.
    /// </summary>
    public static string InDataDirectory(string connectionString, string dataDirectory)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (string.IsNullOrWhiteSpace(builder.DataSource) || builder.DataSource == ":memory:" || Path.IsPathRooted(builder.DataSource))
            return connectionString;
        builder.DataSource = Path.GetFullPath(builder.DataSource, Path.GetFullPath(dataDirectory));
        return builder.ToString();
    }

    public string ConnectionString { get; }

    public string FilePath { get; }

    /// <summary>Free space kept on the file's volume (<see cref="StorageOptions.MinimumFreeMegabytes"/>).</summary>
    public long MinimumFreeBytes { get; }

    /// <summary>Null when the file's volume has at least <see cref="MinimumFreeBytes"/> free, otherwise what is wrong.</summary>
    public string? FreeSpaceProblem()
    {
        if (MinimumFreeBytes <= 0 || FilePath == ":memory:") return null;
        var folder = Path.GetDirectoryName(Path.GetFullPath(FilePath)) ?? ".";
        var free = new DriveInfo(folder).AvailableFreeSpace;
        return free >= MinimumFreeBytes
            ? null
            : $"The database's volume has {free / 1024} KiB free; at least {MinimumFreeBytes / (1024 * 1024)} MiB are kept free (Storage:MinimumFreeMegabytes).";
    }

    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        var connection = new SqliteConnection(ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var pragmas = connection.CreateCommand();
            pragmas.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=3000;";
            await pragmas.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}
