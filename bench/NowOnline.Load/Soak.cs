using System.Globalization;
using NowOnline.Bench.Shared;

namespace NowOnline.Load;

/// <summary>
/// Issue 14's memory target: "after 10,000,000 events with 50,000 online, resident memory &lt;= 400 MB". A fresh app (Release,
/// Production, own SQLite file) is loaded by wrk with new event ids over a pool of 50,000 sessions (every session is touched
/// within each 200,000 events, far inside the online interval, so all 50,000 stay online) until the events are accepted or
/// the time is up, and its resident memory (VmRSS) is read every N accepted events. When dotnet-counters is installed each
/// point also carries the managed heap after the last collection and the GC's committed memory, which splits the resident
/// memory into live managed objects, the GC's free-but-committed memory, and native memory (SQLite page caches, code, stacks).
/// <c>gc-matrix</c> runs the same soak once per GC configuration, one after the other in one run.
/// </summary>
public static class Soak
{
    public const int Sessions = 50_000;

    public sealed record Point(long Events, long Resident, long? Heap, long? Committed, long Anonymous, long File, long Shared)
    {
        public string Describe() => $"{Events:N0} events: {Resident / 1048576.0:N0} MB"
            + (Heap is { } h and > 0 && Committed is { } c ? $" (managed heap {h / 1048576.0:N0}, GC committed {c / 1048576.0:N0}" : " (")
            + $"{(Heap is > 0 ? ", " : "")}anonymous {Anonymous / 1048576.0:N0}, files {File / 1048576.0:N0}, JIT code {Shared / 1048576.0:N0})";
    }

    public sealed record Result(string Name, long Accepted, double Seconds, double CpuMicrosecondsPerEvent, long ResidentAtStart,
        long ResidentAtEnd, long PeakResident, List<Point> Points, long Failures, string? Error);

    private static readonly (string Name, string What, Dictionary<string, string> Environment)[] GcConfigurations =
    [
        ("server-datas", "Server GC with DATAS (the app's setting before issue 14's memory work; .NET 10's default for Server GC)", ServerGc()),
        ("server-no-datas", "Server GC without DATAS (GCDynamicAdaptationMode=0)", ServerGc(("DOTNET_GCDynamicAdaptationMode", "0"))),
        ("server-conserve", "Server GC with DATAS and GCConserveMemory=5", ServerGc(("DOTNET_GCConserveMemory", "5"))),
        ("server-hard-limit", "Server GC with DATAS and GCHeapHardLimit=320 MiB", ServerGc(("DOTNET_GCHeapHardLimit", "0x14000000"))),
        ("workstation", "Workstation GC, concurrent (background) collections, GCConserveMemory=7 (the app's setting)", []),
        // Not a GC setting: glibc's malloc keeps an arena per thread (up to 8 per core), where SQLite's page caches live
        // (the app now caps them at 2 itself: NowOnline.Web/Operations/NativeHeap.cs).
        ("malloc-arenas-2", "Server GC with DATAS, glibc MALLOC_ARENA_MAX=2 (native heap)", ServerGc(("MALLOC_ARENA_MAX", "2"))),
    ];

    /// <summary>
    /// Server GC in place of the app's own setting (workstation GC with GCConserveMemory=7, NowOnline.Web.csproj), with
    /// <paramref name="more"/> on top (a later value of the same name wins).
    /// </summary>
    private static Dictionary<string, string> ServerGc(params (string Name, string Value)[] more)
    {
        var environment = new Dictionary<string, string> { ["DOTNET_gcServer"] = "1", ["DOTNET_GCConserveMemory"] = "0" };
        foreach (var (name, value) in more) environment[name] = value;
        return environment;
    }

    /// <summary><c>soak</c>: one soak, written as soak.json; <c>gc-matrix</c>: one soak per GC configuration, written as gc.json.</summary>
    public static async Task<int> RunAsync(string[] args, bool matrix)
    {
        var quick = args.Contains("--quick");
        string Option(string name, string fallback) => CommandLine.Option(args, name, fallback);

        long LongOption(string name, long fallback) => long.Parse(Option(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
        var appDll = Path.GetFullPath(Option("--app", "NowOnline.Web/bin/Release/net10.0/NowOnline.Web.dll"));
        var script = Path.GetFullPath(Option("--wrk-script", "bench/wrk/batches.lua"));
        var output = Path.GetFullPath(Option("--out", matrix ? "bench/results/gc.json" : "bench/results/soak.json"));
        var events = LongOption("--events", matrix ? 2_000_000 : quick ? 1_000_000 : 10_000_000);
        var seconds = LongOption("--seconds", matrix ? 240 : quick ? 60 : 1_800);
        var every = LongOption("--every", matrix ? 500_000 : quick ? 250_000 : 1_000_000);
        var only = Option("--configs", "").Split(',', StringSplitOptions.RemoveEmptyEntries);
        var folder = Directory.CreateTempSubdirectory("nowonline-soak-").FullName;
        var logs = Path.Combine(Path.GetDirectoryName(output)!, "servers.log");
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        try
        {
            var bodies = Path.Combine(folder, "bodies.jsonl");
            await Storefront.WriteLinesAsync(bodies, Storefront.Batches(2_000, 100, sessions: Sessions, seed: 7));
            var figures = new List<Figure>();
            var notes = new List<string>();
            if (!matrix)
            {
                var result = await RunOneAsync("default", appDll, script, bodies, folder, logs, [], events, seconds, every);
                figures.Add(SoakFigure(result, events));
                notes.Add("Soak: the app alone with wrk (2 threads, 16 connections, batches of 100 new events over 50,000 sessions); "
                    + "resident memory is VmRSS from /proc, the managed heap and GC committed memory from dotnet-counters (System.Runtime).");
            }
            else
            {
                foreach (var (name, what, environment) in GcConfigurations.Where(c => only.Length == 0 || only.Contains(c.Name)))
                {
                    var result = await RunOneAsync(name, appDll, script, bodies, folder, logs, environment, events, seconds, every);
                    figures.Add(new Figure($"GC configuration {name}: {what}",
                        result.Error is null ? $"{result.ResidentAtEnd / 1048576.0:N0} MB after {result.Accepted:N0} events, {result.CpuMicrosecondsPerEvent:0.00} µs CPU per event" : "failed",
                        "resident memory and CPU per event", null,
                        $"peak {result.PeakResident / 1048576.0:N0} MB; {result.Accepted / Math.Max(1, result.Seconds):N0} events/s; "
                        + string.Join("; ", result.Points.Select(p => p.Describe())) + (result.Error is null ? "" : $"; {result.Error}")));
                }

                notes.Add($"GC configurations, one after the other in one run, each a fresh app soaked to {events:N0} events over 50,000 sessions.");
            }

            new FigureSet(matrix ? "NowOnline.Load gc-matrix" : "NowOnline.Load soak", quick ? "quick" : "full", DateTimeOffset.UtcNow, figures, notes).Save(output);
            foreach (var f in figures) Console.WriteLine($"{(f.Pass is null ? "    " : f.Pass.Value ? "pass" : "MISS")}  {f.Scenario}: {f.Measured} ({f.Detail})");
            return 0;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static Figure SoakFigure(Result result, long target)
    {
        var reached = result.Accepted >= 10_000_000;
        return new Figure($"Soak: app resident memory against events accepted ({Sessions:N0} sessions online, new event ids)",
            $"{result.ResidentAtEnd / 1048576.0:N0} MB after {result.Accepted:N0} events", "<= 400 MB after 10,000,000 events with 50,000 online",
            reached && result.Error is null ? result.ResidentAtEnd <= 400L * 1048576 : null,
            $"VmRSS {result.ResidentAtStart / 1048576.0:N0} MB when ready; then every {result.Points.Skip(1).FirstOrDefault()?.Events ?? 0:N0} events: "
            + string.Join("; ", result.Points.Select(p => p.Describe()))
            + $"; peak (VmHWM) {result.PeakResident / 1048576.0:N0} MB; {result.Accepted / Math.Max(1, result.Seconds):N0} events/s over {result.Seconds:N0} s, "
            + $"{result.CpuMicrosecondsPerEvent:0.00} µs of the app's CPU per event; {result.Failures} failed requests"
            + (result.Error is null ? "" : $"; stopped: {result.Error}")
            + (reached ? "" : $"; the run ended before 10,000,000 events ({target:N0} asked for, bounded in time), so the target is not judged"));
    }

    private static async Task<Result> RunOneAsync(string name, string appDll, string script, string bodies, string folder, string logs,
        Dictionary<string, string> extra, long events, long seconds, long every)
    {
        var apiKey = "soak-" + Guid.NewGuid().ToString("N");
        var database = Path.Combine(folder, $"soak-{name}.db");
        uint salt = (uint)Random.Shared.Next();
        await using var app = await ChildProcess.StartAsync(appDll, [], LoadApp.Environment(database, apiKey, extra), "/healthz/ready", logs);
        await using var counters = await DotnetCounters.StartAsync(app.Id, Path.Combine(folder, $"counters-{name}.csv"));
        var atStart = app.ResidentBytes();
        Log($"soak {name} (pid {app.Id}): up to {events:N0} events or {seconds} s, resident memory every {every:N0} events; {atStart / 1048576.0:N0} MB when ready");
        var points = new List<Point>();
        var cpuStart = app.CpuTime();
        var started = DateTime.UtcNow;
        var deadline = started.AddSeconds(seconds);
        long accepted = 0, failures = 0, mark = every;
        string? error = null;
        Point Sample()
        {
            var heap = counters?.LastHeap();
            var (anonymous, file, shared) = app.ResidentByKind();
            return new Point(accepted, app.ResidentBytes(), heap?.Heap, heap?.Committed, anonymous, file, shared);
        }

        points.Add(Sample());
        try
        {
            while (accepted < events && DateTime.UtcNow < deadline)
            {
                var left = (int)Math.Max(1, Math.Min(60, (deadline - DateTime.UtcNow).TotalSeconds));
                var requests = Math.Max(2, (mark - accepted + 99) / 100);
                var round = await Wrk.RunAsync(script, app.BaseAddress, bodies, apiKey, 16, left, requests, salt++);
                accepted += round.Accepted;
                failures += round.Failures;
                if (accepted >= mark || accepted >= events)
                {
                    var point = Sample();
                    points.Add(point);
                    Log($"soak {name}: {point.Describe()}");
                    while (mark <= accepted) mark += every;
                }

                if (round.Accepted == 0)
                {
                    error = $"a round accepted nothing ({round.Failures} failures)";
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or HttpRequestException or IOException)
        {
            error = ex.Message;
        }

        var elapsed = (DateTime.UtcNow - started).TotalSeconds;
        var cpu = app.CpuTime() - cpuStart;
        if (points[^1].Events != accepted) points.Add(Sample());
        return new Result(name, accepted, elapsed, cpu.TotalMicroseconds / Math.Max(1, accepted), atStart, points[^1].Resident,
            app.PeakResidentBytes(), points, failures, error);
    }

    private static void Log(string message) => Console.Error.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {message}");
}
