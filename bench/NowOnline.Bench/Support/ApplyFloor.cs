using NowOnline.Core.Presence;
using NowOnline.Bench.Shared;

namespace NowOnline.Bench.Support;

/// <summary>
/// The apply floor of issue 14: only what every event needs whatever the rules, the look-up of its session among the
/// sessions held (a dictionary of session ids, looked up with the event's own id string) and the insert of its event id
/// into a set, nothing else. Its state carries over between rounds, as the tracker's does.
/// </summary>
public sealed class ApplyFloor
{
    private readonly Dictionary<string, object> _sessions = new(StringComparer.Ordinal);
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

    public ApplyFloor(int sessions)
    {
        for (var i = 0; i < sessions; i++) _sessions.Add(Workload.SessionId(i), new object());
    }

    public int Found { get; private set; }

    /// <summary>Events per CPU-second of this thread over <paramref name="batches"/>.</summary>
    public double CpuRate(IReadOnlyList<ActivityEvent[]> batches, int count)
    {
        var found = 0;
        var before = CpuTime.Thread();
        foreach (var batch in batches)
            foreach (var e in batch)
                if (_sessions.TryGetValue(e.SessionId, out _) && (e.EventId is null || _seen.Add(e.EventId))) found++;
        var cpu = CpuTime.Thread() - before;
        Found += found;
        return cpu is { } c ? count / c.TotalSeconds : double.NaN;
    }
}
