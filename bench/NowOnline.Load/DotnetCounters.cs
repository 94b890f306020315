using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace NowOnline.Load;

/// <summary>
/// The runtime's own <c>System.Runtime</c> meter of another process, read from outside with <c>dotnet-counters collect</c>
/// (EventPipe over the diagnostics socket), so it works the same whether the app's <c>Metrics:Enabled</c> is on or off and
/// needs nothing in the app. Reads allocated bytes (the meter's <c>dotnet.gc.heap.total_allocated</c>, reported as a
/// per-second increment), the managed heap after the last collection and the GC's committed memory. bench/run.sh installs
/// the tool (NuGet package dotnet-counters) into a cache folder and passes its path in <c>DOTNET_COUNTERS</c>.
/// </summary>
public sealed partial class DotnetCounters : IAsyncDisposable
{
    private const string Counters = "System.Runtime[dotnet.gc.heap.total_allocated,dotnet.gc.last_collection.heap.size,dotnet.gc.last_collection.memory.committed_size]";
    private readonly Process _process;
    private readonly string _csv;

    private DotnetCounters(Process process, string csv)
    {
        _process = process;
        _csv = csv;
    }

    /// <summary>The tool's path from <c>DOTNET_COUNTERS</c> or the PATH, or null when it is not installed.</summary>
    public static string? Tool()
    {
        var configured = Environment.GetEnvironmentVariable("DOTNET_COUNTERS");
        if (!string.IsNullOrEmpty(configured)) return File.Exists(configured) ? configured : null;
        return (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "dotnet-counters")).FirstOrDefault(File.Exists);
    }

    /// <summary>Starts collecting once a second from process <paramref name="pid"/>; null when the tool is missing.</summary>
    public static async Task<DotnetCounters?> StartAsync(int pid, string csv)
    {
        if (Tool() is not { } tool) return null;
        File.Delete(csv);
        var info = new ProcessStartInfo(tool) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var a in new[] { "collect", "-p", pid.ToString(CultureInfo.InvariantCulture), "--counters", Counters, "--refresh-interval", "1", "--format", "csv", "-o", csv })
            info.ArgumentList.Add(a);
        var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {tool}");
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        var counters = new DotnetCounters(process, csv);
        // The session is live once the first line of values is written (about a second after the start).
        for (var i = 0; i < 50 && !counters.Lines().Any(l => l.Contains("total_allocated", StringComparison.Ordinal)); i++)
        {
            if (process.HasExited) return null;
            await Task.Delay(200);
        }

        return counters;
    }

    /// <summary>Bytes allocated by the process since collection started, up to the last whole second written.</summary>
    public long AllocatedBytes() =>
        (long)Rows().Where(r => r.Name.StartsWith("dotnet.gc.heap.total_allocated", StringComparison.Ordinal)).Sum(r => r.Value);

    /// <summary>The managed heap after the last collection (all generations) and the GC's committed memory, last reported.</summary>
    public (long Heap, long Committed) LastHeap()
    {
        var rows = Rows().ToList();
        var last = rows.Where(r => r.Name.StartsWith("dotnet.gc.last_collection.heap.size", StringComparison.Ordinal)).Select(r => r.At).DefaultIfEmpty().Max();
        var heap = rows.Where(r => r.At == last && r.Name.StartsWith("dotnet.gc.last_collection.heap.size", StringComparison.Ordinal)).Sum(r => r.Value);
        var committed = rows.LastOrDefault(r => r.Name.StartsWith("dotnet.gc.last_collection.memory.committed_size", StringComparison.Ordinal)).Value;
        return ((long)heap, (long)committed);
    }

    private IEnumerable<string> Lines()
    {
        if (!File.Exists(_csv)) return [];
        using var stream = new FileStream(_csv, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        var lines = new List<string>();
        while (reader.ReadLine() is { } line) lines.Add(line);
        return lines;
    }

    // "12/02/2026 16:37:41,System.Runtime,dotnet.gc.heap.total_allocated (By / 1 sec),Rate,57064"
    private IEnumerable<(string At, string Name, double Value)> Rows()
    {
        foreach (var line in Lines().Skip(1))
        {
            var parts = line.Split(',');
            if (parts.Length < 5 || !double.TryParse(parts[^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var value)) continue;
            yield return (parts[0], parts[2], value);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _ = Kill(_process.Id, 2); // SIGINT: the tool closes its session and its file
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try { await _process.WaitForExitAsync(wait.Token); }
            catch (OperationCanceledException) { _process.Kill(); }
        }

        _process.Dispose();
    }

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int Kill(int pid, int signal);
}
