namespace NowOnline.Core.Presence;

/// <summary>
/// What changed since the last checkpoint, so the state tables can be written behind the durable event log. Sessions and
/// carts carry the number of the pass they are listed for (no hashing on the hot path, measured in "Apply to the tracker"
/// of the performance notes): each is listed once however often it changes.
/// <para>
/// A pass is captured lazily (<see cref="Begin"/>): starting one only hands the lists over and numbers a new set, so the
/// tracker's lock is held for no longer than a swap, whatever changed. Each member is copied under the lock when its slice
/// is written (<see cref="Capture"/>), or earlier, copy-on-write, when a change is about to reach a member not copied yet
/// (<see cref="Add(SessionState)"/>): either way the pass holds each row as it stood at the pass's sequence. Taking the
/// whole snapshot at once held the lock 106-242 ms at 83,614 changed sessions, the start of the paced run's worst stalls
/// ("Where the paced tail comes from" in bench/performance-notes.md).
/// </para>
/// Not thread-safe: the tracker touches it under its lock.
/// </summary>
internal sealed class CheckpointSet
{
    private List<SessionState> _sessions = [];
    private HashSet<long> _customers = [];
    private List<Cart> _carts = [];
    // The pass number members are listed for now; 0 is "not listed" on a member.
    private int _epoch = 1;
    // The pass being captured (a number below _epoch), 0 when none.
    private int _capturing;

    public bool IsEmpty => _sessions.Count == 0 && _customers.Count == 0 && _carts.Count == 0;

    /// <summary>True while a pass is being captured (<see cref="Begin"/> until its last member is copied or it is given back).</summary>
    public bool Capturing => _capturing != 0;

    /// <summary>True while the session waits to be written by the next pass.</summary>
    public bool Lists(SessionState session) => session.CheckpointEpoch == _epoch;

    public bool Lists(Cart cart) => cart.CheckpointEpoch == _epoch;

    /// <summary>Lists a session for the next pass. Call it before changing the session: a pass being captured keeps its copy.</summary>
    public void Add(SessionState session)
    {
        if (session.CheckpointEpoch == _epoch) return;
        BeforeChange(session);
        session.CheckpointEpoch = _epoch;
        _sessions.Add(session);
    }

    /// <summary>The session is about to change without being written again (forgotten): a pass being captured keeps its copy.</summary>
    public void BeforeChange(SessionState session)
    {
        if (_capturing == 0 || session.CheckpointEpoch != _capturing) return;
        session.Captured = session.ToSnapshot();
        session.CheckpointEpoch = 0;
    }

    public void AddCustomer(long customerId) => _customers.Add(customerId);

    /// <summary>Lists a cart for the next pass. Call it before changing or removing the cart (see <see cref="Add(SessionState)"/>).</summary>
    public void Add(Cart cart)
    {
        if (cart.CheckpointEpoch == _epoch) return;
        if (_capturing != 0 && cart.CheckpointEpoch == _capturing) cart.Captured = cart.ToSnapshot();
        cart.CheckpointEpoch = _epoch;
        _carts.Add(cart);
    }

    /// <summary>
    /// Starts capturing a pass at <paramref name="sequence"/>: its members are what is listed now, and changes from here on
    /// are listed for the next pass. Only one pass is captured at a time.
    /// </summary>
    public CheckpointMembers Begin(long sequence)
    {
        if (_capturing != 0) throw new InvalidOperationException("A checkpoint pass is still being captured.");
        var members = new CheckpointMembers(sequence, _epoch, _sessions, _customers, _carts);
        if (!IsEmpty)
        {
            _capturing = _epoch++;
            _sessions = [];
            _customers = [];
            _carts = [];
        }

        return members;
    }

    /// <summary>
    /// Copies the next members of <paramref name="pass"/> into <paramref name="slice"/>, at most about
    /// <paramref name="rows"/> rows (a cart counts one per line), carts first, then customers, then sessions, each in key
    /// order. With the last member the capture ends.
    /// </summary>
    public void Capture(CheckpointMembers pass, int rows, CheckpointSlice slice, Func<long, CustomerProfile?> profileOf)
    {
        var budget = rows;
        var carts = pass.Carts;
        for (; budget > 0 && pass.NextCart < carts.Length; pass.NextCart++)
        {
            var cart = carts[pass.NextCart];
            CartSnapshot snapshot;
            if (cart.CheckpointEpoch == pass.Epoch)
            {
                // Unchanged since the pass began: its lines now are its lines then.
                snapshot = cart.ToSnapshot();
                cart.CheckpointEpoch = 0;
            }
            else snapshot = cart.Captured!;

            cart.Captured = null;
            slice.Carts.Add(snapshot);
            budget -= 1 + snapshot.Lines.Count;
        }

        var customers = pass.Customers;
        for (; budget > 0 && pass.NextCart == carts.Length && pass.NextCustomer < customers.Length; pass.NextCustomer++, budget--)
            if (profileOf(customers[pass.NextCustomer]) is { } profile) slice.Customers.Add(profile);

        var sessions = pass.Sessions;
        for (; budget > 0 && pass.NextCustomer == customers.Length && pass.NextSession < sessions.Length; pass.NextSession++)
        {
            var session = sessions[pass.NextSession];
            SessionSnapshot? snapshot;
            if (session.CheckpointEpoch == pass.Epoch)
            {
                // Unchanged since the pass began: its state now is its state then. One forgotten before then is not written.
                snapshot = session.Forgotten ? null : session.ToSnapshot();
                session.CheckpointEpoch = 0;
            }
            else snapshot = session.Captured;

            session.Captured = null;
            if (snapshot is null) continue;
            slice.Sessions.Add(snapshot);
            budget--;
        }

        if (pass.Captured && _capturing == pass.Epoch) _capturing = 0;
    }

    /// <summary>
    /// A pass that could not be written: its members are listed again, for the next pass to write as they are then. The
    /// caller lists each cart's live successor instead of a removed cart (see <see cref="PresenceTracker"/>).
    /// </summary>
    public void GiveBack(CheckpointMembers pass, Func<Cart, Cart> liveCartOf)
    {
        if (_capturing == pass.Epoch) _capturing = 0;
        foreach (var session in pass.AllSessions)
        {
            session.Captured = null;
            if (!session.Forgotten) Add(session);
        }

        foreach (var customerId in pass.AllCustomers) _customers.Add(customerId);
        foreach (var cart in pass.AllCarts)
        {
            cart.Captured = null;
            Add(liveCartOf(cart));
        }
    }

    /// <summary>Snapshots everything listed at once (the cluster's checkpoint, tests) and empties the lists.</summary>
    public PresenceCheckpoint Take(long sequence, Func<long, CustomerProfile?> profileOf)
    {
        var members = Begin(sequence);
        members.PutInOrder();
        var slice = new CheckpointSlice();
        Capture(members, int.MaxValue, slice, profileOf);
        return new PresenceCheckpoint(sequence, slice.Sessions, slice.Customers, slice.Carts);
    }
}

/// <summary>
/// The members of one checkpoint pass (<see cref="CheckpointSet.Begin"/>): live sessions and carts, copied as their slices
/// are captured. <see cref="PutInOrder"/> sorts them by key, which reads only keys that never change, so it runs off the
/// tracker's lock (on a pool thread, <see cref="PresenceTracker.BeginCheckpointPass"/>).
/// </summary>
internal sealed class CheckpointMembers
{
    private List<SessionState>? _sessionList;
    private HashSet<long>? _customerSet;
    private List<Cart>? _cartList;

    public CheckpointMembers(long sequence, int epoch, List<SessionState> sessions, HashSet<long> customers, List<Cart> carts)
    {
        Sequence = sequence;
        Epoch = epoch;
        IsEmpty = sessions.Count == 0 && customers.Count == 0 && carts.Count == 0;
        (_sessionList, _customerSet, _cartList) = IsEmpty ? (null, null, null) : (sessions, customers, carts);
    }

    public long Sequence { get; }
    public int Epoch { get; }
    public bool IsEmpty { get; }

    public SessionState[] Sessions { get; private set; } = [];
    public long[] Customers { get; private set; } = [];
    public Cart[] Carts { get; private set; } = [];

    public int NextCart { get; set; }
    public int NextCustomer { get; set; }
    public int NextSession { get; set; }

    public bool Captured => NextCart == Carts.Length && NextCustomer == Customers.Length && NextSession == Sessions.Length;

    // Every member, whether or not PutInOrder ran (or failed): what a pass given back lists again.
    public IEnumerable<SessionState> AllSessions => _sessionList ?? (IEnumerable<SessionState>)Sessions;
    public IEnumerable<long> AllCustomers => _customerSet ?? (IEnumerable<long>)Customers;
    public IEnumerable<Cart> AllCarts => _cartList ?? (IEnumerable<Cart>)Carts;

    /// <summary>
    /// Puts the members in ordinal key order: neighbouring keys share B-tree pages (each page found and dirtied once per
    /// pass), and customers' carts (<c>c:…</c>) come before visitors' (<c>s:…</c>), on which the replay at start relies
    /// (<see cref="RestoredRows"/>). An owner whose cart left and came back is listed twice: the later cart, the live one,
    /// is kept. Call once, before the first capture.
    /// </summary>
    public void PutInOrder()
    {
        if (_sessionList is null) return;
        var sessions = _sessionList.ToArray();
        var keys = new string[sessions.Length];
        for (var i = 0; i < sessions.Length; i++) keys[i] = sessions[i].SessionId;
        Array.Sort(keys, sessions, StringComparer.Ordinal);

        var carts = new (string Owner, int At, Cart Cart)[_cartList!.Count];
        for (var i = 0; i < carts.Length; i++) carts[i] = (_cartList[i].Owner, i, _cartList[i]);
        Array.Sort(carts, static (a, b) =>
        {
            var byOwner = string.CompareOrdinal(a.Owner, b.Owner);
            return byOwner != 0 ? byOwner : a.At.CompareTo(b.At);
        });
        var kept = new List<Cart>(carts.Length);
        for (var i = 0; i < carts.Length; i++)
            if (i + 1 == carts.Length || !string.Equals(carts[i].Owner, carts[i + 1].Owner, StringComparison.Ordinal))
                kept.Add(carts[i].Cart);

        var customers = _customerSet!.ToArray();
        Array.Sort(customers);
        (Sessions, Customers, Carts) = (sessions, customers, kept.ToArray());
        (_sessionList, _customerSet, _cartList) = (null, null, null);
    }
}

/// <summary>The rows of one slice, copied under the tracker's lock and written after it is released (lists reused).</summary>
internal sealed class CheckpointSlice
{
    public List<CartSnapshot> Carts { get; } = [];
    public List<CustomerProfile> Customers { get; } = [];
    public List<SessionSnapshot> Sessions { get; } = [];

    public void Clear()
    {
        Carts.Clear();
        Customers.Clear();
        Sessions.Clear();
    }
}
