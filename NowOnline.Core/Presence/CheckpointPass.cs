namespace NowOnline.Core.Presence;

/// <summary>
/// The state rows of one checkpoint, consistent with <see cref="Sequence"/>, handed to the writer a slice at a time: carts
/// first (customers' before visitors'), then customers, then sessions, each in key order (the order the replay at start
/// relies on, <see cref="RestoredRows"/>).
/// </summary>
internal abstract class CheckpointPass
{
    /// <summary>The log position every row of the pass reflects.</summary>
    public abstract long Sequence { get; }

    public abstract bool IsEmpty { get; }

    /// <summary>False while the rows are still being put in key order (off the writer's thread).</summary>
    public abstract bool Ready { get; }

    /// <summary>True once every row was handed out.</summary>
    public abstract bool Captured { get; }

    /// <summary>Blocks until <see cref="Ready"/> (also when ordering failed: <see cref="CaptureNext"/> then throws).</summary>
    public abstract void WaitReady();

    /// <summary>Adds the next rows to <paramref name="slice"/>: at most about <paramref name="rows"/> (a cart counts one per line).</summary>
    public abstract void CaptureNext(int rows, CheckpointSlice slice);

    /// <summary>The pass could not be written: what it holds is listed again, for the next pass.</summary>
    public abstract void GiveBack();

    /// <summary>A pass over a snapshot taken whole (<see cref="PresenceTracker.TakeCheckpoint"/>, tests, tools).</summary>
    public static CheckpointPass Of(PresenceCheckpoint checkpoint) => new SnapshotPass(checkpoint);

    private sealed class SnapshotPass(PresenceCheckpoint checkpoint) : CheckpointPass
    {
        private readonly CartSnapshot[] _carts = checkpoint.Carts.OrderBy(c => c.Owner, StringComparer.Ordinal).ToArray();
        private readonly CustomerProfile[] _customers = checkpoint.Customers.OrderBy(c => c.Id).ToArray();
        private readonly SessionSnapshot[] _sessions = checkpoint.Sessions.OrderBy(s => s.SessionId, StringComparer.Ordinal).ToArray();
        private int _nextCart, _nextCustomer, _nextSession;

        public override long Sequence => checkpoint.Sequence;
        public override bool IsEmpty => checkpoint.IsEmpty;
        public override bool Ready => true;

        public override bool Captured =>
            _nextCart == _carts.Length && _nextCustomer == _customers.Length && _nextSession == _sessions.Length;

        public override void WaitReady()
        {
        }

        public override void CaptureNext(int rows, CheckpointSlice slice)
        {
            var budget = rows;
            for (; budget > 0 && _nextCart < _carts.Length; _nextCart++)
            {
                slice.Carts.Add(_carts[_nextCart]);
                budget -= 1 + _carts[_nextCart].Lines.Count;
            }

            for (; budget > 0 && _nextCart == _carts.Length && _nextCustomer < _customers.Length; _nextCustomer++, budget--)
                slice.Customers.Add(_customers[_nextCustomer]);
            for (; budget > 0 && _nextCustomer == _customers.Length && _nextSession < _sessions.Length; _nextSession++, budget--)
                slice.Sessions.Add(_sessions[_nextSession]);
        }

        // A snapshot holds no live state: whoever took it gives it back (PresenceTracker.ReturnCheckpoint) if they need to.
        public override void GiveBack()
        {
        }
    }
}
