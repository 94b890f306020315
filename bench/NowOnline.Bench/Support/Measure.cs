using System.Diagnostics;

namespace NowOnline.Bench.Support;

public static class Measure
{
    /// <summary>Collects until the heap is quiet, then returns its size: the "before/after" of a memory figure.</summary>
    public static long SettledHeap()
    {
        for (var i = 0; i < 3; i++)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }

        return GC.GetTotalMemory(forceFullCollection: true);
    }

    /// <summary>Waits until <paramref name="due"/> (a Stopwatch timestamp): sleeps for the long part, spins the last bit.</summary>
    public static void Until(long due)
    {
        while (true)
        {
            var left = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
            if (left <= TimeSpan.Zero) return;
            if (left > TimeSpan.FromMilliseconds(2)) Thread.Sleep(1);
            else Thread.SpinWait(50);
        }
    }

    public static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);

    public static void Log(string message) => Console.Error.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {message}");
}
