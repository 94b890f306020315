using System.Diagnostics;
using System.Globalization;

namespace NowOnline.Load;

/// <summary>
/// Where the machine's CPU went during one phase: the app's cores (and µs per event), this tool's own cores, and the
/// share of the phase in which some runnable task waited for a core (Linux pressure stall information, /proc/pressure/cpu
/// "some"). On a 2-core machine a paced run's tail follows these: the paced figure prints them beside its latency.
/// </summary>
public sealed class CpuShare
{
    private readonly ChildProcess _app;
    private readonly long _started = Stopwatch.GetTimestamp();
    private readonly TimeSpan _appBefore;
    private readonly TimeSpan _selfBefore;
    private readonly long? _stalledBefore;

    private CpuShare(ChildProcess app)
    {
        _app = app;
        _appBefore = app.CpuTime();
        _selfBefore = Process.GetCurrentProcess().TotalProcessorTime;
        _stalledBefore = StalledMicroseconds();
    }

    public static CpuShare Start(ChildProcess app) => new(app);

    /// <summary>The phase's figures, as a sentence for the figure's details.</summary>
    public string Stop(long events)
    {
        var seconds = Stopwatch.GetElapsedTime(_started).TotalSeconds;
        var app = _app.CpuTime() - _appBefore;
        var self = Process.GetCurrentProcess().TotalProcessorTime - _selfBefore;
        var stalled = StalledMicroseconds() - _stalledBefore;
        var text = string.Create(CultureInfo.InvariantCulture,
            $"the app used {app.TotalSeconds / seconds:0.00} cores ({app.TotalMicroseconds / Math.Max(1, events):0.0} µs per event), "
            + $"this tool {self.TotalSeconds / seconds:0.00} cores, of {Environment.ProcessorCount}");
        return stalled is null
            ? text
            : text + string.Create(CultureInfo.InvariantCulture, $"; a task waited for a core {stalled.Value / 1e4 / seconds:0}% of the time (/proc/pressure/cpu)");
    }

    private static long? StalledMicroseconds()
    {
        try
        {
            var some = File.ReadLines("/proc/pressure/cpu").FirstOrDefault(l => l.StartsWith("some", StringComparison.Ordinal));
            var total = some?.Split(' ').FirstOrDefault(f => f.StartsWith("total=", StringComparison.Ordinal));
            return total is null ? null : long.Parse(total["total=".Length..], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
