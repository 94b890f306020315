namespace NowOnline.Tests.Support;

/// <summary>
/// What a hub client knows: the rows after applying State and every Diff, the versions it saw, and
/// every protocol rule the server broke (a Diff before State, a version that is not the last plus one).
/// </summary>
public sealed class PresenceView(bool keepRowDetails)
{
    private readonly object _gate = new();
    private readonly Dictionary<string, HubRow?> _rows = new(StringComparer.Ordinal);
    private readonly List<long> _versions = [];
    private readonly List<string> _problems = [];
    private readonly HashSet<string> _typesSeen = new(StringComparer.Ordinal);
    private readonly List<string> _removals = [];
    private readonly List<string> _upsertedKeys = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int States { get; private set; }

    /// <summary>Why the connection ended, once it has (for failure messages).</summary>
    public string? Ended { get; set; }

    public int Diffs { get; private set; }

    public IReadOnlyCollection<string> Keys
    {
        get { lock (_gate) return _rows.Keys.ToList(); }
    }

    public HubRow Row(string key)
    {
        lock (_gate) return _rows[key] ?? throw new InvalidOperationException("This view keeps keys only.");
    }

    public bool Has(string key)
    {
        lock (_gate) return _rows.ContainsKey(key);
    }

    public int Count
    {
        get { lock (_gate) return _rows.Count; }
    }

    /// <summary>Versions of every State and Diff, in the order they arrived.</summary>
    public IReadOnlyList<long> Versions
    {
        get { lock (_gate) return _versions.ToList(); }
    }

    public IReadOnlyList<string> Problems
    {
        get { lock (_gate) return _problems.ToList(); }
    }

    /// <summary>Every value of <c>type</c> seen in any State or Diff row.</summary>
    public IReadOnlySet<string> TypesSeen
    {
        get { lock (_gate) return _typesSeen.ToHashSet(); }
    }

    /// <summary>Keys named in Diff removals, in order.</summary>
    public IReadOnlyList<string> Removals
    {
        get { lock (_gate) return _removals.ToList(); }
    }

    /// <summary>Keys named in Diff upserts, in order (a key appears once per Diff that carried it).</summary>
    public IReadOnlyList<string> UpsertedKeys
    {
        get { lock (_gate) return _upsertedKeys.ToList(); }
    }

    public void ApplyState(IReadOnlyList<HubRow> rows, long version)
    {
        lock (_gate)
        {
            _rows.Clear();
            foreach (var row in rows) Upsert(row, fromDiff: false);
            Accept(version, isState: true);
            States++;
            Changed();
        }
    }

    public void ApplyDiff(IReadOnlyList<HubRow> upserts, IReadOnlyList<string> removals, long version)
    {
        lock (_gate)
        {
            if (States == 0) _problems.Add("A Diff arrived before any State.");
            foreach (var row in upserts) Upsert(row, fromDiff: true);
            foreach (var removed in removals)
            {
                _removals.Add(removed);
                if (!_rows.Remove(removed)) _problems.Add($"Diff {version} removed {removed}, which the client did not have.");
            }

            Accept(version, isState: false);
            Diffs++;
            Changed();
        }
    }

    private void Changed()
    {
        _changed.TrySetResult();
        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private void Upsert(HubRow row, bool fromDiff)
    {
        _typesSeen.Add(row.Type);
        if (fromDiff) _upsertedKeys.Add(row.Key);
        _rows[row.Key] = keepRowDetails ? row : null;
    }

    private void Accept(long version, bool isState)
    {
        if (isState && version != 1) _problems.Add($"State came with version {version}, not 1.");
        if (!isState && _versions.Count > 0 && version != _versions[^1] + 1)
            _problems.Add($"Version {version} followed {_versions[^1]}.");
        _versions.Add(version);
    }

    /// <summary>Waits until <paramref name="condition"/> holds, failing with what the view holds after <paramref name="timeout"/>.</summary>
    public async Task WaitUntilAsync(Func<PresenceView, bool> condition, TimeSpan? timeout = null, string? what = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                changed = _changed.Task;
            }

            if (condition(this)) return;
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
                throw new TimeoutException($"Waited for {what ?? "a condition"}; the view has {Count} rows [{string.Join(", ", Keys.Take(10))}], " +
                    $"versions [{string.Join(", ", Versions.TakeLast(10))}], problems [{string.Join("; ", Problems)}], connection {Ended ?? "open"}.");
            await Task.WhenAny(changed, Task.Delay(left));
        }
    }
}

/// <summary>The fields of a hub row that the tests look at (the hub sends more; the client's JSON protocol skips them).</summary>
public sealed record HubRow(string Key, string SessionId, long? Id, string? FirstName, string? Email, string Type, string? LastUrl,
    string? Store, DateTimeOffset LastActivity, int Sessions);
