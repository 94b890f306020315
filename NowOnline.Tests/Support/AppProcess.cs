using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using System.Text;

namespace NowOnline.Tests.Support;

/// <summary>
/// The real app as a child process (the apphost of this test run's build, see <see cref="FindAppHost"/>), on a free port and its own
/// SQLite file, so a test can kill it with SIGKILL as a crash or power cut of the process would.
/// </summary>
public sealed class AppProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly ConcurrentQueue<string> _standardOutput = new();

    private AppProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>What the app wrote to stdout and stderr, for failure messages.</summary>
    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    /// <summary>The lines the app wrote to stdout so far (the console log), in order.</summary>
    public IReadOnlyList<string> StandardOutputLines => [.. _standardOutput];

    /// <param name="extraArgs">Further command-line settings; they win over the defaults above (e.g. another provider).</param>
    public static AppProcess Start(string databasePath, IEnumerable<string>? extraArgs = null)
    {
        var port = FreePort.Next();
        var start = new ProcessStartInfo(FindAppHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
                 {
                     "--urls", $"http://127.0.0.1:{port}", "--environment", "Production",
                     $"--ConnectionStrings:NowOnline=Data Source={databasePath}",
                     $"--Ingestion:ApiKeys:0={TestApp.ApiKey}",
                     $"--Admin:Email={TestApp.AdminEmail}",
                     $"--Admin:Password={TestApp.AdminPassword}",
                     "--Simulator:Enabled=false",
                     "--Ingestion:RateLimitPermits=10000000", // the crash test streams as fast as it can
                     "--Logging:LogLevel:Default=Warning",
                 })
            start.ArgumentList.Add(arg);
        foreach (var arg in extraArgs ?? []) start.ArgumentList.Add(arg);

        AppStarts.Record("child process");
        var process = new Process { StartInfo = start };
        var app = new AppProcess(process, new Uri($"http://127.0.0.1:{port}/"));
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null) app._standardOutput.Enqueue(e.Data);
            app.Append(e.Data);
        };
        process.ErrorDataReceived += (_, e) => app.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return app;
    }

    /// <summary>Waits until /healthz answers 200 (start-up done; /healthz/ready would log each unready probe as a failure); a bound, not a cost: generous for a loaded machine.</summary>
    public async Task WaitUntilHealthyAsync()
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        var until = DateTime.UtcNow.AddSeconds(180);
        while (true)
        {
            if (_process.HasExited) Assert.Fail($"The app exited with code {_process.ExitCode} before it was healthy:\n{Output}");
            try
            {
                if ((await http.GetAsync("/healthz")).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            if (DateTime.UtcNow > until) Assert.Fail($"The app was not ready within 180 s:\n{Output}");
            await Task.Delay(100);
        }
    }

    public HttpClient Storefront()
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Add("X-Api-Key", TestApp.ApiKey);
        return client;
    }

    /// <summary>SIGKILL: no shutdown code runs, nothing is flushed or checkpointed.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public void Dispose()
    {
        if (!_process.HasExited) Kill();
        _process.Dispose();
    }

    /// <summary>
    /// The apphost of NowOnline.Web from the build of this test run: the web project's output folder of the same
    /// configuration and framework as this test assembly (NowOnline.Tests/bin/&lt;config&gt;/&lt;tfm&gt;/ →
    /// NowOnline.Web/bin/&lt;config&gt;/&lt;tfm&gt;/NowOnline.Web), whose NowOnline.Web.dll must be byte for byte the one
    /// this test run loaded. Any other build (another configuration, a stale folder) fails the test with a message.
    /// </summary>
    public static string FindAppHost()
    {
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = typeof(AppProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration
                            ?? throw new InvalidOperationException("The test assembly names no build configuration.");
        var framework = here.Name;
        var name = OperatingSystem.IsWindows() ? "NowOnline.Web.exe" : "NowOnline.Web";
        var project = here.Parent?.Parent?.Parent?.Parent is { } root ? Path.Combine(root.FullName, "NowOnline.Web") : null;
        if (here.Parent?.Name != configuration || project is null || !File.Exists(Path.Combine(project, "NowOnline.Web.csproj")))
            throw new InvalidOperationException(
                $"The tests run from {here.FullName}, not from NowOnline.Tests/bin/{configuration}/<framework>/ beside NowOnline.Web: " +
                "run them from the solution's own build (dotnet build NowOnline.sln, then dotnet test).");

        var output = Path.Combine(project, "bin", configuration, framework);
        var appHost = Path.Combine(output, name);
        if (!File.Exists(appHost))
            throw new InvalidOperationException(
                $"NowOnline.Web is not built as {configuration}/{framework} ({appHost} is missing): build the solution in the configuration the tests run in.");
        var loaded = typeof(NowOnline.Web.NowOnlineApp).Assembly.Location;
        if (!File.ReadAllBytes(Path.Combine(output, "NowOnline.Web.dll")).AsSpan().SequenceEqual(File.ReadAllBytes(loaded)))
            throw new InvalidOperationException(
                $"{output}/NowOnline.Web.dll is another build than the one these tests loaded ({loaded}): rebuild the solution so both are one build.");
        return appHost;
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }
}
