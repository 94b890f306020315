using BenchmarkDotNet.Attributes;
using NowOnline.Bench.Shared;
using NowOnline.Bench.Support;
using NowOnline.Core.Presence;

namespace NowOnline.Bench.Micro;

/// <summary>One grid view over 100,000 online sessions: NowOnline's in-memory query against the classic SQL grid.</summary>
[MemoryDiagnoser]
public class QueryBenchmarks
{
    private PresenceTracker _tracker = default!;
    private ClassicStore _classic = default!;
    private string _folder = default!;
    private DateTimeOffset _onlineSince;

    [ParamsSource(nameof(Views))]
    public string View { get; set; } = "";

    public static IEnumerable<string> Views => GridQueries.All.Select(q => q.Name);

    private GridQuery Query => GridQueries.All.First(q => q.Name == View);

    [GlobalSetup]
    public void Setup()
    {
        const int sessions = 100_000;
        var now = Workload.Start.AddMinutes(10);
        _tracker = Workload.NewTracker(new BenchClock(now));
        new Workload(sessions).Populate(_tracker, now, TimeSpan.FromMinutes(9));
        _folder = Directory.CreateTempSubdirectory("nowonline-bdn-").FullName;
        _classic = new ClassicStore(Path.Combine(_folder, "classic.db"));
        _classic.Seed(Enumerable.Range(0, sessions).Select(i => Workload.Arrival(i, now - TimeSpan.FromMinutes(9) * (1 - (double)i / sessions))));
        _onlineSince = now.AddMinutes(-15);
    }

    [Benchmark(Baseline = true, Description = "classic SQL grid")]
    public long Classic() => Query.RunClassic(_classic, _onlineSince).Total;

    [Benchmark(Description = "NowOnline tracker.Query")]
    public long NowOnline() => _tracker.Query(Query.Ours).Total;

    [GlobalCleanup]
    public void Cleanup()
    {
        _classic.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
