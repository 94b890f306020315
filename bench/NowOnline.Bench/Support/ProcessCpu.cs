using System.Runtime.InteropServices;

namespace NowOnline.Bench.Support;

/// <summary>
/// CPU time of the whole process (Linux CLOCK_PROCESS_CPUTIME_ID, nanosecond resolution): what a query split over the cores
/// costs in all, which the querying thread's own CPU time understates and a loaded machine's wall clock overstates.
/// </summary>
public static partial class ProcessCpu
{
    private const int ClockProcessCpuTimeId = 2;

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out Timespec value);

    /// <summary>The process's CPU time so far, or null where the clock is not available.</summary>
    public static TimeSpan? Now()
    {
        if (!OperatingSystem.IsLinux()) return null;
        try
        {
            return ClockGetTime(ClockProcessCpuTimeId, out var ts) == 0
                ? TimeSpan.FromTicks(ts.Seconds * TimeSpan.TicksPerSecond + ts.Nanoseconds / 100)
                : null;
        }
        catch (DllNotFoundException)
        {
            return null;
        }
    }
}
