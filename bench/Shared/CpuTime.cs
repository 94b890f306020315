using System.Runtime.InteropServices;

namespace NowOnline.Bench.Shared;

/// <summary>
/// CPU time consumed by the calling thread (Linux CLOCK_THREAD_CPUTIME_ID) or the whole process (CLOCK_PROCESS_CPUTIME_ID).
/// On a machine shared with other work, wall-clock time includes the time the thread waited for a core; thread CPU time is
/// what the code itself cost, and process CPU time what work split over the cores (a parallel query) cost in all.
/// </summary>
public static partial class CpuTime
{
    private const int ClockProcessCpuTimeId = 2;
    private const int ClockThreadCpuTimeId = 3;

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out Timespec value);

    /// <summary>The calling thread's CPU time so far, or null where the clock is not available.</summary>
    public static TimeSpan? Thread() => Read(ClockThreadCpuTimeId);

    /// <summary>The whole process's CPU time so far, or null where the clock is not available.</summary>
    public static TimeSpan? Process() => Read(ClockProcessCpuTimeId);

    private static TimeSpan? Read(int clock)
    {
        if (!OperatingSystem.IsLinux()) return null;
        try
        {
            return ClockGetTime(clock, out var ts) == 0
                ? TimeSpan.FromTicks(ts.Seconds * TimeSpan.TicksPerSecond + ts.Nanoseconds / 100)
                : null;
        }
        catch (DllNotFoundException)
        {
            return null;
        }
    }
}
