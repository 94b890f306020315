using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace NowOnline.Load;

/// <summary>
/// A server started in a process of its own (the app as a user starts it, the floor, the baseline), so the load generator
/// never shares the server's runtime, heap or thread pool. Stopped with SIGTERM (a graceful ASP.NET Core shutdown), then
/// killed if it has not exited within 20 s.
/// </summary>
public sealed partial class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ChildProcess(Process process, Uri address)
    {
        _process = process;
        BaseAddress = address;
    }

    public Uri BaseAddress { get; }

    public int Id => _process.Id;

    /// <summary>Starts <c>dotnet DLL ARGS --urls http://127.0.0.1:PORT</c> and waits until <paramref name="readyPath"/> answers 200.</summary>
    public static async Task<ChildProcess> StartAsync(string dll, IEnumerable<string> args, IDictionary<string, string> environment,
        string readyPath, string log)
    {
        var port = FreePort();
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(dll);
        foreach (var a in args) info.ArgumentList.Add(a);
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add($"http://127.0.0.1:{port}");
        foreach (var (key, value) in environment) info.Environment[key] = value;
        var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start dotnet {dll}");
        var writer = new StreamWriter(log, append: true) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (writer) writer.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (writer) writer.WriteLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var child = new ChildProcess(process, new Uri($"http://127.0.0.1:{port}"));
        using var http = new HttpClient { BaseAddress = child.BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.GetTimestamp() + 120 * Stopwatch.Frequency;
        while (Stopwatch.GetTimestamp() < deadline)
        {
            if (process.HasExited) throw new InvalidOperationException($"{Path.GetFileName(dll)} exited with {process.ExitCode} at start; see {log}");
            try
            {
                using var reply = await http.GetAsync(readyPath);
                if (reply.StatusCode == HttpStatusCode.OK) return child;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(200);
        }

        await child.DisposeAsync();
        throw new TimeoutException($"{Path.GetFileName(dll)} did not answer {readyPath} within 120 s; see {log}");
    }

    /// <summary>The process's resident memory (VmRSS), in bytes; 0 once it has exited.</summary>
    public long ResidentBytes() => Status("VmRSS:");

    /// <summary>The most resident memory the process has had so far (VmHWM), in bytes; 0 once it has exited.</summary>
    public long PeakResidentBytes() => Status("VmHWM:");

    /// <summary>
    /// Resident memory by kind (/proc status): anonymous (the GC's heap, glibc's malloc arenas where SQLite's page caches
    /// live, thread stacks), file-backed (the runtime's and the app's assemblies) and shared (JIT code, double-mapped).
    /// </summary>
    public (long Anonymous, long File, long Shared) ResidentByKind() => (Status("RssAnon:"), Status("RssFile:"), Status("RssShmem:"));

    private long Status(string field)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
                if (line.StartsWith(field, StringComparison.Ordinal))
                    return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException) { } // exited
        return 0;
    }

    /// <summary>User + system CPU time the process has used so far.</summary>
    public TimeSpan CpuTime()
    {
        _process.Refresh();
        return _process.HasExited ? TimeSpan.Zero : _process.TotalProcessorTime;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _ = Kill(_process.Id, 15);
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try { await _process.WaitForExitAsync(wait.Token); }
            catch (OperationCanceledException) { _process.Kill(entireProcessTree: true); }
        }

        _process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int Kill(int pid, int signal);
}
