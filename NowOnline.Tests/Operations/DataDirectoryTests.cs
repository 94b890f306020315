using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NowOnline.Core.Persistence;
using NowOnline.Tests.Support;
using NowOnline.Web;

namespace NowOnline.Tests.Operations;

/// <summary>A relative SQLite path lands in the data directory, whatever folder the app is started from.</summary>
public sealed class DataDirectoryTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task App_started_from_another_folder_keeps_its_database_in_the_data_directory_and_stops_with_0_on_SIGTERM()
    {
        var appHost = AppProcess.FindAppHost();
        var dataName = $"data-test-{Guid.NewGuid():N}";
        var expected = Path.Combine(Path.GetDirectoryName(appHost)!, dataName, "relative.db");
        var workingDirectory = Directory.CreateDirectory(_folder.File("elsewhere")).FullName;
        var output = new ConcurrentQueue<string>();
        var start = new ProcessStartInfo(appHost)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
                 {
                     "--urls", "http://127.0.0.1:0", "--environment", "Production",
                     "--ConnectionStrings:NowOnline=Data Source=relative.db", $"--Storage:DataDirectory={dataName}",
                     $"--Ingestion:ApiKeys:0={TestApp.ApiKey}", $"--Admin:Email={TestApp.AdminEmail}", $"--Admin:Password={TestApp.AdminPassword}",
                     "--Simulator:Enabled=false",
                 })
            start.ArgumentList.Add(arg);
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) output.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) output.Enqueue(e.Data); };
        try
        {
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();

            await Eventually.TrueAsync(() => process.HasExited || output.Any(l => l.Contains("Start-up done", StringComparison.Ordinal)),
                "the app has started", seconds: 180);

            Assert.False(process.HasExited, string.Join('\n', output));
            Assert.True(File.Exists(expected), $"the database is at {expected}:\n{string.Join('\n', output)}");
            Assert.Empty(Directory.EnumerateFileSystemEntries(workingDirectory));
            Assert.Contains(output, line => line.Contains($"SQLite database: {expected} (data directory {Path.GetDirectoryName(expected)})", StringComparison.Ordinal));

            // systemd stops a service with SIGTERM: the app drains, checkpoints and exits 0 (not "failed").
            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
                await kill.WaitForExitAsync();
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(120));
            await process.WaitForExitAsync(limit.Token);
            Assert.True(process.ExitCode == 0, $"exit code {process.ExitCode}:\n{string.Join('\n', output)}");
            Assert.DoesNotContain(output, line => line.Contains("Unhandled exception", StringComparison.Ordinal));
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (Directory.Exists(Path.GetDirectoryName(expected))) Directory.Delete(Path.GetDirectoryName(expected)!, recursive: true);
        }
    }

    [Fact]
    public async Task Absolute_data_directory_holds_a_relative_database_and_an_absolute_path_stays_where_it_points()
    {
        var dataDirectory = _folder.File("var-lib-nowonline");
        await using (var app = await BuildAsync("Data Source=relative.db", dataDirectory))
            Assert.Equal(Path.Combine(dataDirectory, "relative.db"), app.Services.GetRequiredService<SqliteDatabase>().FilePath);
        Assert.True(File.Exists(Path.Combine(dataDirectory, "relative.db")));

        var absolute = _folder.File("elsewhere.db");
        await using (var app = await BuildAsync($"Data Source={absolute}", dataDirectory))
            Assert.Equal(absolute, app.Services.GetRequiredService<SqliteDatabase>().FilePath);
        Assert.True(File.Exists(absolute));
    }

    private static Task<WebApplication> BuildAsync(string connectionString, string dataDirectory) => NowOnlineApp.BuildAsync(
    [
        "--environment", "Production", $"--ConnectionStrings:NowOnline={connectionString}", $"--Storage:DataDirectory={dataDirectory}",
        "--Ingestion:ApiKeys:0=k", "--Simulator:Enabled=false", $"--Admin:Email={TestApp.AdminEmail}", $"--Admin:Password={TestApp.AdminPassword}",
    ], builder => builder.Logging.SetMinimumLevel(LogLevel.Warning));
}
