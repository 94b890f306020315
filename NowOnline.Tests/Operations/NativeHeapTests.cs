using System.Runtime.InteropServices;
using NowOnline.Web.Operations;

namespace NowOnline.Tests.Operations;

/// <summary>
/// The native-heap service on this process's real C library: glibc on the Linux machines the app is measured on, where it
/// limits malloc's heaps and trims them on its clock; elsewhere it does nothing.
/// </summary>
public sealed class NativeHeapTests
{
    private static bool OnGlibc => OperatingSystem.IsLinux() && File.Exists("/proc/self/maps")
        && File.ReadLines("/proc/self/maps").Any(line => line.EndsWith("/libc.so.6", StringComparison.Ordinal));

    [Fact]
    public void Glibc_is_found_exactly_where_the_process_has_loaded_it()
    {
        Assert.Equal(OnGlibc, Glibc.TryLoad() is not null);
    }

    [Fact]
    public async Task Trims_once_per_ten_seconds_of_its_clock_and_stops_when_the_host_stops()
    {
        var clock = new TimerClock();
        using var heap = new NativeHeap(clock);
        await heap.StartAsync(CancellationToken.None);
        if (!heap.Active)
        {
            Assert.False(OnGlibc);
            Assert.Null(clock.Timer);
            return;
        }

        var timer = Assert.IsType<TimerClock.CapturedTimer>(clock.Timer);
        Assert.Equal((TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10)), (timer.Due, timer.Period));
        timer.Fire();
        timer.Fire();
        Assert.Equal(2, heap.Trims);

        await heap.StopAsync(CancellationToken.None);
        Assert.True(timer.Disposed);
    }

    [Fact]
    public void A_trim_gives_back_the_pages_of_freed_blocks_between_live_ones()
    {
        if (Glibc.TryLoad() is not { } glibc)
        {
            Assert.False(OnGlibc);
            return;
        }

        // 32 KiB blocks (below malloc's mmap threshold, so from the heap); every other one freed leaves holes of whole
        // pages that free() alone keeps and only a trim returns.
        var blocks = Enumerable.Range(0, 2_000).Select(_ => Marshal.AllocHGlobal(32 * 1024)).ToArray();
        try
        {
            for (var i = 0; i < blocks.Length; i += 2)
            {
                Marshal.FreeHGlobal(blocks[i]);
                blocks[i] = 0;
            }

            Assert.True(glibc.Trim());
        }
        finally
        {
            foreach (var block in blocks.Where(b => b != 0)) Marshal.FreeHGlobal(block);
        }
    }

    /// <summary>A clock whose one timer the test fires by hand.</summary>
    private sealed class TimerClock : TimeProvider
    {
        public CapturedTimer? Timer { get; private set; }

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
            Timer = new CapturedTimer(() => callback(state), dueTime, period);

        public sealed class CapturedTimer(Action fire, TimeSpan due, TimeSpan period) : ITimer
        {
            public TimeSpan Due { get; } = due;
            public TimeSpan Period { get; } = period;
            public bool Disposed { get; private set; }

            public void Fire() => fire();

            public bool Change(TimeSpan dueTime, TimeSpan period) => false;

            public void Dispose() => Disposed = true;

            public ValueTask DisposeAsync()
            {
                Disposed = true;
                return ValueTask.CompletedTask;
            }
        }
    }
}
