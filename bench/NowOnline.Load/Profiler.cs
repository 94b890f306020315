using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace NowOnline.Load;

/// <summary>
/// <c>perf record -g</c> of one process while it runs, then the share of its samples in metric code by
/// bench/metrics-profile.py. <c>perf stat -e instructions</c> is not supported on this machine's VM, so sampled CPU
/// time is what is counted.
/// </summary>
public sealed partial class Profiler : IDisposable
{
    private readonly Process _perf;
    private readonly string _data;
    private readonly int _pid;

    private Profiler(Process perf, string data, int pid)
    {
        _perf = perf;
        _data = data;
        _pid = pid;
    }

    public sealed record Share(long Samples, long Charged, double Percent, double Low, double High, string Top)
    {
        /// <summary>This share minus <paramref name="control"/>'s, in points, with a 95 % normal interval for two proportions.</summary>
        public (double Difference, double Low, double High) Minus(Share control)
        {
            double p1 = Charged / (double)Samples, p0 = control.Charged / (double)control.Samples;
            var half = 1.96 * Math.Sqrt(p1 * (1 - p1) / Samples + p0 * (1 - p0) / control.Samples);
            return (100 * (p1 - p0), 100 * (p1 - p0 - half), 100 * (p1 - p0 + half));
        }
    }

    public static bool Available() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries).Any(dir => File.Exists(Path.Combine(dir, "perf")));

    /// <summary>
    /// The app's environment for a profile: the perf map names managed frames, no W^X double mapping, and no precompiled
    /// (ReadyToRun) or tier-0 code, whose frames the map would not name, so code is fully optimized from its first call.
    /// </summary>
    public static Dictionary<string, string> Settings(bool profile, params (string Key, string Value)[] extra)
    {
        var settings = extra.ToDictionary(e => e.Key, e => e.Value);
        if (!profile) return settings;
        settings["DOTNET_PerfMapEnabled"] = "1";
        settings["DOTNET_EnableWriteXorExecute"] = "0";
        settings["DOTNET_ReadyToRun"] = "0";
        settings["DOTNET_TieredCompilation"] = "0";
        return settings;
    }

    public static Profiler Start(int pid, string data, int frequency)
    {
        var info = new ProcessStartInfo("perf") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "record", "-F", frequency.ToString(CultureInfo.InvariantCulture), "-g", "-p", pid.ToString(CultureInfo.InvariantCulture), "-o", data })
            info.ArgumentList.Add(a);
        var perf = Process.Start(info) ?? throw new InvalidOperationException("Could not start perf");
        _ = perf.StandardOutput.ReadToEndAsync();
        _ = perf.StandardError.ReadToEndAsync();
        return new Profiler(perf, data, pid);
    }

    /// <summary>Stops recording and reads the share of samples charged to metric code; null when perf recorded nothing.</summary>
    public async Task<Share?> StopAsync(string script)
    {
        if (!_perf.HasExited) _ = Kill(_perf.Id, 2);
        await _perf.WaitForExitAsync();
        var info = new ProcessStartInfo("bash") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("perf script -i \"$1\" 2> /dev/null | python3 \"$2\"");
        info.ArgumentList.Add("profile");
        info.ArgumentList.Add(_data);
        info.ArgumentList.Add(script);
        using var report = Process.Start(info) ?? throw new InvalidOperationException("Could not start perf script");
        var output = await report.StandardOutput.ReadToEndAsync();
        await report.StandardError.ReadToEndAsync();
        await report.WaitForExitAsync();
        File.Delete(_data);
        var match = Summary().Match(output);
        if (!match.Success) return null;
        double D(int g) => double.Parse(match.Groups[g].Value, CultureInfo.InvariantCulture);
        var top = string.Join("; ", output.Split('\n').Skip(1).Where(l => l.StartsWith("  ", StringComparison.Ordinal)).Take(4).Select(l => l.Trim()));
        return new Share(long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), long.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture),
            D(3), D(4), D(5), top);
    }

    public void Dispose()
    {
        if (!_perf.HasExited) _ = Kill(_perf.Id, 2);
        _perf.Dispose();
        foreach (var map in new[] { $"/tmp/perf-{_pid}.map", $"/tmp/perfinfo-{_pid}.map" }) File.Delete(map);
    }

    // "samples 5363, charged to metric code 15: 0.28 % (95 % interval 0.17 to 0.46 %)"
    [GeneratedRegex(@"samples (\d+), charged to metric code (\d+): ([\d.]+) % \(95 % interval ([\d.]+) to ([\d.]+) %\)")]
    private static partial Regex Summary();

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int Kill(int pid, int signal);
}
