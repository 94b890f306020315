using System.Diagnostics;

namespace NowOnline.Tests.Deploy;

/// <summary>docs/deploy/nowonline.service as systemd reads it: valid, hardened, and running the app the documented way.</summary>
public sealed class SystemdUnitTests : IDisposable
{
    private const string Analyze = "/usr/bin/systemd-analyze";
    private readonly string _folder = Directory.CreateTempSubdirectory("nowonline-unit-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Service_unit_passes_systemd_analyze_verify_without_a_warning()
    {
        var unit = CopyUnit();

        var (exit, output) = await RunAsync("verify", unit);

        Assert.True(exit == 0, output);
        Assert.True(output.Trim().Length == 0, $"systemd-analyze verify warns:\n{output}");
    }

    [Fact]
    public async Task Service_unit_is_rated_ok_by_systemd_analyze_security()
    {
        var unit = CopyUnit();

        // Exit status 1 when the exposure is above 3.0 ("OK" ends there; an unhardened unit rates 9.6).
        var (exit, output) = await RunAsync("security", "--offline=true", "--threshold=30", unit);

        Assert.True(exit == 0, output);
        Assert.Contains("Overall exposure level for nowonline.service", output);
    }

    [Fact]
    public void Service_unit_runs_as_its_own_user_with_only_the_data_directory_writable_and_restarts_on_failure()
    {
        var lines = File.ReadAllLines(DocumentedUnit()).Select(l => l.Trim()).ToHashSet();

        foreach (var expected in new[]
                 {
                     "User=nowonline", "ProtectSystem=strict", "ProtectHome=yes", "NoNewPrivileges=yes", "StateDirectory=nowonline",
                     "Environment=Storage__DataDirectory=/var/lib/nowonline", "Restart=on-failure", "Environment=ASPNETCORE_ENVIRONMENT=Production",
                 })
            Assert.Contains(expected, lines);
        Assert.DoesNotContain(lines, l => l.StartsWith("ReadWritePaths=", StringComparison.Ordinal));
    }

    private string CopyUnit()
    {
        Assert.True(File.Exists(Analyze), $"{Analyze} is missing: apt-get install -y systemd (.ci/run does).");
        var copy = Path.Combine(_folder, "nowonline.service");
        File.Copy(DocumentedUnit(), copy);
        return copy;
    }

    private static async Task<(int Exit, string Output)> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo(Analyze) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment["SYSTEMD_COLORS"] = "0";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await error + await output);
    }

    private static string DocumentedUnit()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            if (File.Exists(Path.Combine(folder.FullName, "docs", "deploy", "nowonline.service")))
                return Path.Combine(folder.FullName, "docs", "deploy", "nowonline.service");
        throw new InvalidOperationException($"No docs/deploy/nowonline.service above {AppContext.BaseDirectory}.");
    }
}
