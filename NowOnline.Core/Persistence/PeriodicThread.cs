namespace NowOnline.Core.Persistence;

/// <summary>
/// A thread of its own that runs a step, then waits a period, until stopped (<see cref="WalCheckpointer"/>,
/// <see cref="EventLookup"/>): their steps block on SQLite for up to a second, which a thread-pool thread should not.
/// </summary>
internal sealed class PeriodicThread(string name, TimeSpan every, Action step) : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private Thread? _thread;

    /// <summary>True once <see cref="Stop"/> was called: a step that loops checks it.</summary>
    public bool Stopping => _stop.IsCancellationRequested;

    public void Start()
    {
        _thread = new Thread(Run) { IsBackground = true, Name = name };
        _thread.Start();
    }

    /// <summary>Stops the loop and waits for the step in progress.</summary>
    public void Stop()
    {
        _stop.Cancel();
        _thread?.Join();
        _thread = null;
    }

    public void Dispose()
    {
        Stop();
        _stop.Dispose();
    }

    private void Run()
    {
        while (!_stop.Token.WaitHandle.WaitOne(every)) step();
    }
}
