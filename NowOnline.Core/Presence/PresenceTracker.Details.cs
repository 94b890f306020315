namespace NowOnline.Core.Presence;

// What the grid's detail panel shows about one row, read under the lock in one go.
public sealed partial class PresenceTracker
{
    /// <summary>A session as the tracker knows it now (online or not), or null when it is unknown.</summary>
    public SessionSnapshot? GetSessionSnapshot(string sessionId)
    {
        lock (_gate) return _sessions.TryGetValue(sessionId, out var session) ? session.ToSnapshot() : null;
    }

    /// <summary>The online row with this key (<c>c:{id}</c> or <c>v:{sessionId}</c>), or null when it is not online.</summary>
    public OnlineRow? GetRow(string key)
    {
        lock (_gate) return _rows.TryGet(key, out var slot) ? slot.ToRow() : null;
    }
}
