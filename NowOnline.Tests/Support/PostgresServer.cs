using System.Diagnostics;
using System.Net;
using Npgsql;

namespace NowOnline.Tests.Support;

/// <summary>
/// A private PostgreSQL cluster (the highest version installed, 15 or later) for the tests: initdb in a temp folder owned by the postgres user, started on a free
/// loopback port, stopped and removed on dispose. Each test asks for a database of its own.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private static readonly string Bin = FindBin();
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"nowonline-pg-{Guid.NewGuid():N}");
    private int _databases;

    public int Port { get; private set; }

    public async Task InitializeAsync()
    {
        if (!File.Exists($"{Bin}/initdb"))
            throw new InvalidOperationException("No PostgreSQL server under /usr/lib/postgresql/*/bin: apt-get install -y postgresql (.ci/run does).");
        Directory.CreateDirectory(_folder);
        await RunAsync("chown", "postgres:postgres", _folder);
        await RunAsync("runuser", "-u", "postgres", "--", $"{Bin}/initdb", "-D", _folder, "-A", "trust", "-U", "postgres", "--no-sync");
        Port = FreePort.Next();
        await StartAsync();
    }

    /// <summary>A new, empty database; returns its Npgsql connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"nowonline_{Interlocked.Increment(ref _databases)}";
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await create.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Pooling=true;Maximum Pool Size=50";

    /// <summary>Stops the server (fast shutdown: clients are disconnected), as an outage would.</summary>
    public Task StopAsync() =>
        RunAsync("runuser", "-u", "postgres", "--", $"{Bin}/pg_ctl", "-D", _folder, "-w", "-m", "fast", "stop");

    /// <summary>Starts the server (again after <see cref="StopAsync"/>: on the same port with the same data).</summary>
    public async Task StartAsync()
    {
        // The pooled connections of before the stop are broken: the next test must not be handed one.
        NpgsqlConnection.ClearAllPools();
        await RunAsync("runuser", "-u", "postgres", "--", $"{Bin}/pg_ctl", "-D", _folder, "-w", "-l", Path.Combine(_folder, "server.log"),
            "-o", $"-p {Port} -k {_folder} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200", "start");
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (Port != 0)
            await RunAsync("runuser", "-u", "postgres", "--", $"{Bin}/pg_ctl", "-D", _folder, "-w", "-m", "immediate", "stop");
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }

    /// <summary>Debian installs each major version beside the others; take the highest (any from 15 up works).</summary>
    private static string FindBin()
    {
        var versions = Directory.Exists("/usr/lib/postgresql")
            ? Directory.EnumerateDirectories("/usr/lib/postgresql")
                .Select(folder => (Folder: folder, Version: int.TryParse(Path.GetFileName(folder), out var v) ? v : 0))
                .Where(found => found.Version >= 15 && File.Exists(Path.Combine(found.Folder, "bin", "initdb")))
                .OrderByDescending(found => found.Version)
                .ToList()
            : [];
        return versions.Count > 0 ? Path.Combine(versions[0].Folder, "bin") : "/usr/lib/postgresql/(none)/bin";
    }

    private static async Task RunAsync(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({process.ExitCode}): {await error}{await output}");
    }
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "PostgreSQL";
}
