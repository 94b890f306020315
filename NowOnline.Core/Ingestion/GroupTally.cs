namespace NowOnline.Core.Ingestion;

/// <summary>
/// Sorts a commit group's events, request by request, into bots (counted and dropped), repeats (an id known already, or
/// one seen earlier in the group) and events to store, and keeps per request what its reply will say.
/// </summary>
internal sealed class GroupTally
{
    private readonly List<int> _owners = [];

    /// <param name="group">The requests of the group.</param>
    /// <param name="knownIds">Per event of the group, whether its id is known already (null: none is known here).</param>
    /// <param name="idsInGroup">A set the caller keeps from group to group (cleared here), so a group of thousands of ids
    /// does not grow a new one.</param>
    public GroupTally(List<EventBatch> group, bool[]? knownIds, HashSet<string>? idsInGroup = null)
    {
        Accepted = new int[group.Count];
        Duplicates = new int[group.Count];
        Ignored = new int[group.Count];
        var events = 0;
        foreach (var batch in group) events += batch.Events.Length;
        ToStore = new List<StoredEvent>(events);
        idsInGroup ??= new HashSet<string>(StringComparer.Ordinal);
        idsInGroup.Clear();
        var n = 0;
        for (var i = 0; i < group.Count; i++)
        {
            foreach (var stored in group[i].Events)
            {
                var isKnown = knownIds is not null && knownIds[n];
                n++;
                if (stored.IsBot) Ignored[i]++;
                else if (stored.Event.EventId is { } id && (isKnown || !idsInGroup.Add(id))) Duplicates[i]++;
                else
                {
                    ToStore.Add(stored);
                    _owners.Add(i);
                    Accepted[i]++;
                }
            }
        }

        idsInGroup.Clear(); // a kept set must not hold this group's ids until the next group (they would age with it)
    }

    public List<StoredEvent> ToStore { get; }
    public int[] Accepted { get; }
    public int[] Duplicates { get; }
    public int[] Ignored { get; }

    /// <summary>The k-th event to store turned out to be in the log already (from before the tracker's window): a repeat.</summary>
    public void AlreadyLogged(int k)
    {
        Accepted[_owners[k]]--;
        Duplicates[_owners[k]]++;
    }
}
