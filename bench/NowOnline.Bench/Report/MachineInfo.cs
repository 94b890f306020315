using System.Runtime.InteropServices;

namespace NowOnline.Bench.Report;

/// <summary>What the figures were measured on, read from the OS at report time.</summary>
public static class MachineInfo
{
    public static IEnumerable<(string Name, string Value)> Describe()
    {
        yield return ("CPU", ProcLine("/proc/cpuinfo", "model name") ?? RuntimeInformation.ProcessArchitecture.ToString());
        yield return ("Cores (logical, visible to .NET)", Environment.ProcessorCount.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var memKb = ProcLine("/proc/meminfo", "MemTotal")?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
        yield return ("Memory", memKb is null ? "unknown" : $"{long.Parse(memKb, System.Globalization.CultureInfo.InvariantCulture) / 1048576.0:0.0} GB");
        yield return ("OS", RuntimeInformation.OSDescription);
        yield return (".NET runtime", $"{RuntimeInformation.FrameworkDescription} ({RuntimeInformation.RuntimeIdentifier}, framework-dependent), Release build");
        yield return ("GC", $"in-process scenarios: {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")}, concurrent; "
            + "the app under HTTP load: its own setting (workstation GC, background collections, GCConserveMemory=7: NowOnline.Web.csproj)");
        yield return ("Load average at report time (1/5/15 min)", File.Exists("/proc/loadavg") ? string.Join(" / ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown");
    }

    private static string? ProcLine(string file, string key)
    {
        if (!File.Exists(file)) return null;
        var line = File.ReadLines(file).FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal));
        return line?[(line.IndexOf(':') + 1)..].Trim();
    }
}
