namespace NowOnline.Core.Presence;

/// <summary>
/// Every known session by id, each with an integer handle (its place in <see cref="_byHandle"/>; a forgotten session's
/// handle is reused). Invariants: a session is found by its id exactly while it is in the table; its
/// <see cref="SessionState.Handle"/> is its place; <see cref="Count"/> counts the sessions held.
/// Not thread-safe: the tracker touches it under its lock.
/// </summary>
/// <remarks>
/// An open-addressing table of (hash, handle) pairs, not a <c>Dictionary&lt;string, SessionState&gt;</c>: a look-up is one
/// 8-byte probe, then the session itself, instead of bucket, entry, key string and value. <see cref="Resolve"/> looks up
/// a whole batch in passes so the cache misses of different events overlap (the in-process apply figure of
/// bench/performance-notes.md: the per-event dictionary look-up was about a third of the apply profile).
/// </remarks>
internal sealed class SessionTable
{
    private const int Empty = 0;
    private const int Deleted = -1;

    // Slot: Handle + 1 (0 empty, -1 deleted), with the id's hash beside it so a probe rarely reads a session that is not it.
    private Slot[] _slots = new Slot[1024];
    private SessionState?[] _byHandle = new SessionState?[512];
    private readonly Stack<int> _freeHandles = new();
    private int _highWater;
    private int _used; // slots that are not empty (live + deleted): growth is decided on this

    public int Count { get; private set; }

    /// <summary>The session with this id, or null.</summary>
    public SessionState? Find(string sessionId) => Find(sessionId, Hash(sessionId));

    private SessionState? Find(string sessionId, int hash)
    {
        var mask = _slots.Length - 1;
        for (var i = hash & mask; ; i = (i + 1) & mask)
        {
            var slot = _slots[i];
            if (slot.HandlePlusOne == Empty) return null;
            if (slot.HandlePlusOne > 0 && slot.Hash == hash && _byHandle[slot.HandlePlusOne - 1] is { } session
                && string.Equals(session.SessionId, sessionId, StringComparison.Ordinal))
                return session;
        }
    }

    /// <summary>
    /// Looks up every event's session, writing its handle into <paramref name="handles"/> (-1 where the session is unknown;
    /// read it with <see cref="At"/>). In passes over the batch: hashes and first probes, then the sessions those probes
    /// name, then each look-up to its end; each pass issues independent loads, so the memory latency of 100 events overlaps
    /// instead of adding up. Handles are integers, not session references: storing a reference into an array costs a
    /// covariance check and a GC write barrier per event (<c>StelemRef</c>, in the apply profile of
    /// bench/performance-notes.md).
    /// </summary>
    public void Resolve(IReadOnlyList<ActivityEvent> events, int[] handles, int[] hashes)
    {
        var slots = _slots;
        var byHandle = _byHandle;
        var mask = slots.Length - 1;
        var count = events.Count;
        var touched = 0;
        for (var n = 0; n < count; n++)
        {
            var hash = hashes[n] = Hash(events[n].SessionId);
            touched += slots[hash & mask].HandlePlusOne;
        }

        for (var n = 0; n < count; n++) handles[n] = slots[hashes[n] & mask].HandlePlusOne - 1;

        for (var n = 0; n < count; n++)
            if (handles[n] >= 0 && byHandle[handles[n]] is { } guess) touched += guess.SessionId.Length;

        for (var n = 0; n < count; n++)
        {
            var id = events[n].SessionId;
            var guessed = handles[n];
            if (guessed >= 0 && byHandle[guessed] is { } guess && string.Equals(guess.SessionId, id, StringComparison.Ordinal)) continue;
            handles[n] = Find(id, hashes[n])?.Handle ?? -1;
        }

        Touched += touched;
    }

    /// <summary>The session at <paramref name="handle"/> (from <see cref="Resolve"/>), or null for -1 or a freed handle.</summary>
    public SessionState? At(int handle) => handle >= 0 ? _byHandle[handle] : null;

    /// <summary>Keeps the warming loads of <see cref="Resolve"/> observable, so the JIT cannot drop them.</summary>
    public int Touched { get; private set; }

    /// <summary>Adds a new session; the id must not be in the table.</summary>
    public SessionState Add(string sessionId, DateTimeOffset startedAt)
    {
        if (_used + 1 > _slots.Length / 2) Rehash(Count + 1 > _slots.Length / 4 ? _slots.Length * 2 : _slots.Length);
        var handle = _freeHandles.Count > 0 ? _freeHandles.Pop() : _highWater++;
        if (handle == _byHandle.Length) Array.Resize(ref _byHandle, _byHandle.Length * 2);
        var session = new SessionState(sessionId, startedAt) { Handle = handle };
        _byHandle[handle] = session;
        Insert(Hash(sessionId), handle);
        Count++;
        return session;
    }

    /// <summary>Takes the session out; its handle is free for the next new session.</summary>
    public bool Remove(SessionState session)
    {
        var hash = Hash(session.SessionId);
        var mask = _slots.Length - 1;
        for (var i = hash & mask; ; i = (i + 1) & mask)
        {
            var slot = _slots[i];
            if (slot.HandlePlusOne == Empty) return false;
            if (slot.HandlePlusOne - 1 != session.Handle || !ReferenceEquals(_byHandle[session.Handle], session)) continue;
            _slots[i] = new Slot(hash, Deleted);
            _byHandle[session.Handle] = null;
            _freeHandles.Push(session.Handle);
            Count--;
            return true;
        }
    }

    /// <summary>Every session held, in handle order. The table must not change while this is enumerated.</summary>
    public IEnumerable<SessionState> All
    {
        get
        {
            for (var h = 0; h < _highWater; h++)
                if (_byHandle[h] is { } session) yield return session;
        }
    }

    private void Insert(int hash, int handle)
    {
        var mask = _slots.Length - 1;
        var i = hash & mask;
        while (_slots[i].HandlePlusOne > 0) i = (i + 1) & mask;
        if (_slots[i].HandlePlusOne == Empty) _used++;
        _slots[i] = new Slot(hash, handle + 1);
    }

    private void Rehash(int size)
    {
        _slots = new Slot[size];
        _used = 0;
        for (var h = 0; h < _highWater; h++)
            if (_byHandle[h] is { } session) Insert(Hash(session.SessionId), h);
    }

    // Randomized per process (Marvin): an attacker choosing session ids cannot aim them at one probe chain.
    private static int Hash(string sessionId) => StringComparer.Ordinal.GetHashCode(sessionId) & int.MaxValue;

    private readonly record struct Slot(int Hash, int HandlePlusOne);
}
