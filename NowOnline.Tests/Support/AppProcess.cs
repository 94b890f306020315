using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace NowOnline.Tests.Support;

/// <summary>
/// The real app as a child process (the self-contained apphost built next to the tests), on a free port and its own
/// SQLite file, so a test can kill it with SIGKILL as a crash or power cut of the process would.
/// </summary>
public sealed class AppProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

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

    /// <param name="extraArgs">Further command-line settings; they win over the defaults above (e.g. another provider).</param>
    public static AppProcess Start(string databasePath, IEnumerable<string>? extraArgs = null)
    {
        var port = FreePort();
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
        process.OutputDataReceived += (_, e) => app.Append(e.Data);
        process.ErrorDataReceived += (_, e) => app.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return app;
    }

    public async Task WaitUntilHealthyAsync()
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var until = DateTime.UtcNow.AddSeconds(60);
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

            if (DateTime.UtcNow > until) Assert.Fail($"The app was not healthy within 60 s:\n{Output}");
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
    /// The apphost of NowOnline.Web built with the same configuration, framework and runtime as this test assembly
    /// (NowOnline.Tests/bin/&lt;config&gt;/&lt;tfm&gt;/&lt;rid&gt;/ → NowOnline.Web/bin/&lt;config&gt;/&lt;tfm&gt;/&lt;rid&gt;/NowOnline.Web).
    /// </summary>
    public static string FindAppHost()
    {
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var rid = here.Name;
        var tfm = here.Parent?.Name;
        var config = here.Parent?.Parent?.Name;
        var name = OperatingSystem.IsWindows() ? "NowOnline.Web.exe" : "NowOnline.Web";
        for (var folder = here; folder is not null; folder = folder.Parent)
        {
            var project = Path.Combine(folder.FullName, "NowOnline.Web");
            if (!File.Exists(Path.Combine(project, "NowOnline.Web.csproj"))) continue;
            if (config is not null && tfm is not null && Path.Combine(project, "bin", config, tfm, rid, name) is var exact && File.Exists(exact))
                return exact;
            var built = Directory.Exists(Path.Combine(project, "bin"))
                ? Directory.EnumerateFiles(Path.Combine(project, "bin"), name, SearchOption.AllDirectories)
                    .OrderByDescending(File.GetLastWriteTimeUtc).FirstOrDefault()
                : null;
            return built ?? throw new InvalidOperationException($"NowOnline.Web is not built under {project}/bin: run dotnet build first.");
        }

        throw new InvalidOperationException($"No NowOnline.Web project above {here.FullName}.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }
}
