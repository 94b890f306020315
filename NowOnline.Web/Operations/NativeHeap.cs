namespace NowOnline.Web.Operations;

/// <summary>
/// Keeps glibc's malloc heap (SQLite's page caches and statements, the runtime's native allocations) near what is in use.
/// By default glibc gives each thread that meets a locked heap a heap of its own, up to 8 per core, and keeps the pages
/// its callers freed: under the soak (bench/performance-notes.md, "Resident memory under a soak") 248 MB of main's
/// resident memory after 3,000,000 events was anonymous memory beyond the GC's (32 MB with this service and the rest of
/// its change), against a 64 MiB writer cache and ~2 MB per reader. At start this caps the heaps at <see cref="Arenas"/>,
/// and every <see cref="TrimInterval"/> of the clock it hands free pages back (<c>malloc_trim</c>). Nothing happens where
/// the C library is not glibc.
/// </summary>
public sealed class NativeHeap(TimeProvider clock) : IHostedService, IDisposable
{
    /// <summary>
    /// Two heaps (glibc's default would be 16 on the 2-core machine measured): fewer heaps strand less freed memory. With
    /// this and the trims the soak's malloc arenas and stacks held ~20 MB at 1,000,000 events, and its CPU per event did
    /// not rise (43.9 µs against main's 47.1 µs over 3,000,000 events, alternated runs).
    /// </summary>
    public const int Arenas = 2;

    /// <summary>A trim walks every heap under its lock; every 10 s keeps that far from each commit.</summary>
    public static readonly TimeSpan TrimInterval = TimeSpan.FromSeconds(10);

    private readonly Glibc? _glibc = Glibc.TryLoad();
    private ITimer? _timer;
    private long _trims;

    /// <summary>True when the C library is glibc, so the heap is limited and trimmed.</summary>
    public bool Active => _glibc is not null;

    /// <summary>How many trims have run since start.</summary>
    public long Trims => Interlocked.Read(ref _trims);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (_glibc is null) return Task.CompletedTask;
        _glibc.LimitArenas(Arenas);
        _timer = clock.CreateTimer(_ => Trim(), null, TrimInterval, TrimInterval);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose() => Interlocked.Exchange(ref _timer, null)?.Dispose();

    private void Trim()
    {
        _glibc!.Trim();
        Interlocked.Increment(ref _trims);
    }
}
