using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Npgsql;
using NowOnline.Bench.Shared;

namespace NowOnline.Load;

/// <summary>
/// <c>NowOnline.Load cluster --postgres "Host=…;Port=…;Username=…" [--quick]</c> (run by bench/cluster.sh, which starts the
/// private PostgreSQL): in one run, durable events/s through two nodes on one PostgreSQL next to one node on SQLite
/// (alternating), the cross-node latency (event acknowledged by one node → visible in the other's GET /api/online),
/// and the catch-up time of a node restarted after N events. Writes a markdown section for docs/performance.md.
/// Every phase is bounded; when the nodes do not share one online list the cross-node phases stop at their first
/// sample and the tool exits with 3, naming what was not measured.
/// </summary>
public static class ClusterRun
{
    private const int BatchSize = Storefront.LoadBatchSize;
    private const string AdminEmail = "bench-admin@example.com";
    private const string AdminPassword = "Bench-Only-Password-1";
    public const int NotShared = 3;

    public static async Task<int> RunAsync(string[] args)
    {
        var quick = args.Contains("--quick");
        string Option(string name, string? fallback = null) => CommandLine.Option(args, name, fallback);

        int IntOption(string name, int fallback) => int.Parse(Option(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);

        var run = new Settings(
            App: Path.GetFullPath(Option("--app", "NowOnline.Web/bin/Release/net10.0/NowOnline.Web.dll")),
            Script: Path.GetFullPath(Option("--wrk-script", "bench/wrk/batches.lua")),
            Postgres: Option("--postgres"),
            Connections: IntOption("--connections", 16),
            Seconds: IntOption("--seconds", quick ? 8 : 20),
            Rounds: IntOption("--rounds", quick ? 1 : 2),
            Samples: IntOption("--samples", quick ? 60 : 400),
            CatchUpEvents: IntOption("--catch-up-events", quick ? 100_000 : 1_000_000),
            Folder: Directory.CreateTempSubdirectory("nowonline-cluster-").FullName,
            ApiKey: "cluster-" + Guid.NewGuid().ToString("N"),
            Log: Path.GetFullPath(Option("--log", "bench/results/cluster-servers.log")));
        var output = Path.GetFullPath(Option("--out", "bench/results/cluster.md"));
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        Directory.CreateDirectory(Path.GetDirectoryName(run.Log)!);
        var report = new Report(quick ? "bash bench/cluster.sh --quick" : "bash bench/cluster.sh");
        try
        {
            var bodies = Path.Combine(run.Folder, "bodies.jsonl");
            await Storefront.WriteLinesAsync(bodies, Storefront.LoadBodies());
            bool shared;
            try
            {
                await ThroughputAsync(run, bodies, report);
                shared = await CrossNodeAsync(run, bodies, report);
            }
            catch (Exception ex) when (ex is TimeoutException or InvalidOperationException or HttpRequestException)
            {
                report.Add("The run stopped early", "failed", "", ex.Message);
                report.Write(output);
                Console.Error.WriteLine($"FAILED: {ex.Message} (what was measured before is in {output})");
                return 1;
            }

            report.Write(output);
            Console.Error.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] wrote {output}");
            if (shared) return 0;
            Console.Error.WriteLine("FAILED: the two nodes do not show one online list (an event acknowledged by one node never appeared on the "
                                    + "other), so the cross-node latency and the catch-up time were not measured. They need the shared event log (ADR-007).");
            return NotShared;
        }
        finally
        {
            Directory.Delete(run.Folder, recursive: true);
        }
    }

    /// <summary>One node on SQLite and two nodes on one PostgreSQL, alternating, the same wrk load (split over the two nodes).</summary>
    private static async Task ThroughputAsync(Settings run, string bodies, Report report)
    {
        var sqlite = new List<Load>();
        var pair = new List<Load>();
        for (var round = 1; round <= run.Rounds; round++)
        {
            // Alternate which goes first, so a machine that slows down (or warms up) over the run favours neither.
            var order = round % 2 == 1 ? new[] { false, true } : [true, false];
            foreach (var onPostgres in order)
            {
                if (onPostgres)
                {
                    var database = await run.CreateDatabaseAsync($"throughput_{round}");
                    await using var a = await run.StartNodeAsync($"tp{round}-a", database);
                    await using var b = await run.StartNodeAsync($"tp{round}-b", database);
                    pair.Add(await LoadAsync(run, bodies, [a, b], $"round {round}: two nodes on PostgreSQL"));
                }
                else
                {
                    await using var node = await run.StartSqliteNodeAsync($"tp{round}-sqlite");
                    sqlite.Add(await LoadAsync(run, bodies, [node], $"round {round}: one node on SQLite"));
                }
            }
        }

        var load = $"wrk (Debian's) posting batches of {BatchSize} new events, {run.Connections} connections in all "
                   + $"(two nodes: {run.Connections / 2} on each, one wrk per node), {run.Seconds} s after a warm-up, {run.Rounds} round(s) alternating";
        report.Add("Durable events/s, two nodes on one PostgreSQL (each 202 after the commit)", Best(pair), "measured next to SQLite",
            $"{load}; rounds: {string.Join("; ", pair.Select(p => p.Describe()))}; PostgreSQL 15 with fsync and synchronous_commit on");
        report.Add("Durable events/s, one node on SQLite (same run)", Best(sqlite), "measured",
            $"{load}; rounds: {string.Join("; ", sqlite.Select(p => p.Describe()))}");
        var ratio = pair.Max(p => p.EventsPerSecond) / Math.Max(1, sqlite.Max(p => p.EventsPerSecond));
        report.Add("Two nodes on PostgreSQL against one node on SQLite", $"{ratio:0.00}x", "measured",
            "best round of each; both ran on the same 2 cores with PostgreSQL and wrk, so this is the cost of the shared database, not the gain of a second machine");
    }

    private static string Best(List<Load> loads) => $"{loads.Max(l => l.EventsPerSecond):N0} events/s";

    private static async Task<Load> LoadAsync(Settings run, string bodies, ChildProcess[] nodes, string what)
    {
        Log($"{what}: warm-up");
        var each = Math.Max(2, run.Connections / nodes.Length);
        await Task.WhenAll(nodes.Select(n => Wrk.RunAsync(run.Script, n.BaseAddress, bodies, run.ApiKey, each, 4, 100_000, run.NextSalt())));
        var cpuBefore = nodes.Select(n => n.CpuTime()).ToArray();
        var results = await Task.WhenAll(nodes.Select(n => Wrk.RunAsync(run.Script, n.BaseAddress, bodies, run.ApiKey, each, run.Seconds, 10_000_000, run.NextSalt())));
        var cpu = nodes.Select((n, i) => n.CpuTime() - cpuBefore[i]).Aggregate(TimeSpan.Zero, (x, y) => x + y);
        var load = new Load(what, results, cpu);
        Log(load.Describe());
        return load;
    }

    /// <summary>
    /// Cross-node latency (A→B and B→A in turn), then the catch-up of a node restarted after N events. False when the first
    /// sample never shows up on the other node: the nodes do not share the list, so nothing further can be measured.
    /// </summary>
    private static async Task<bool> CrossNodeAsync(Settings run, string bodies, Report report)
    {
        var database = await run.CreateDatabaseAsync("cross");
        await using var a = await run.StartNodeAsync("x-a", database);
        ChildProcess? b = await run.StartNodeAsync("x-b", database);
        try
        {
            using var onA = run.Client(a);
            using var onB = run.Client(b);
            var nodes = new[] { onA, onB };
            var latency = new Latency(run.Samples);
            for (var i = 0; i < run.Samples; i++)
            {
                var (from, to) = (nodes[i % 2], nodes[(i + 1) % 2]);
                var session = $"cross-{Guid.NewGuid():N}";
                var limit = TimeSpan.FromSeconds(i == 0 ? 15 : 5);
                var seen = await PostAndWatchAsync(from, to, session, limit);
                if (seen is null)
                {
                    Log($"sample {i}: not visible on {to.BaseAddress} within {limit.TotalSeconds:0} s");
                    report.Add("Cross-node latency: acknowledged on one node → visible in the other's GET /api/online", "not measured",
                        "p99 <= 250 ms", $"sample {i} did not appear on the other node within {limit.TotalSeconds:0} s: the nodes do not share one online list in this build");
                    report.Add($"Catch-up of a node restarted after {run.CatchUpEvents:N0} events", "not measured", "measured",
                        "needs the shared online list (see the row above)");
                    return false;
                }

                latency.Record(seen.Value);
                await Task.Delay(10);
            }

            report.Add("Cross-node latency: acknowledged on one node → visible in the other's GET /api/online",
                $"p50 {latency.Ms(50):N1} ms, p99 {latency.Ms(99):N1} ms", "p99 <= 250 ms",
                $"{latency.Summary()}; one login at a time, alternately through each node, timed from the 202 to the first "
                + "GET /api/online?search=<its session> on the other node that lists it (polled every 2 ms)");

            var stopping = b;
            b = null; // the catch-up stops it
            await CatchUpAsync(run, bodies, a, stopping, database, report);
            return true;
        }
        finally
        {
            if (b is not null) await b.DisposeAsync();
        }
    }

    private static async Task CatchUpAsync(Settings run, string bodies, ChildProcess a, ChildProcess b, string database, Report report)
    {
        Log($"catch-up: node B stops; {run.CatchUpEvents:N0} events through node A");
        await b.DisposeAsync();
        long accepted = 0;
        var posting = Stopwatch.StartNew();
        while (accepted < run.CatchUpEvents && posting.Elapsed < TimeSpan.FromMinutes(15))
        {
            var left = (run.CatchUpEvents - accepted + BatchSize - 1) / BatchSize;
            // Short rounds: wrk runs for its whole -d even after every thread has sent its share of requests.
            var round = await Wrk.RunAsync(run.Script, a.BaseAddress, bodies, run.ApiKey, run.Connections, 10, left, run.NextSalt());
            accepted += round.Accepted;
            if (round.Accepted == 0) break;
        }

        var marker = $"catch-up-{Guid.NewGuid():N}";
        using (var http = run.Client(a))
            (await http.PostAsJsonAsync("/api/activity", Visit(marker))).EnsureSuccessStatusCode();
        Log($"catch-up: {accepted:N0} events in {posting.Elapsed.TotalSeconds:0} s; node B starts again");

        var started = Stopwatch.StartNew();
        ChildProcess restarted;
        try
        {
            restarted = await run.StartNodeAsync("x-b", database, "/healthz/ready");
        }
        catch (TimeoutException)
        {
            report.Add($"Catch-up of a node restarted after {accepted:N0} events", "not ready within 120 s", "measured",
                $"node B stopped, {accepted:N0} events posted through node A, B started again and did not answer /healthz/ready within 120 s");
            return;
        }

        var ready = started.Elapsed;
        bool markerAtReady;
        try
        {
            using var http = run.Client(restarted);
            markerAtReady = await ListsAsync(http, marker);
        }
        finally
        {
            await restarted.DisposeAsync();
        }

        started.Restart();
        await using (await run.StartNodeAsync("x-b", database, "/healthz/ready"))
        {
        }

        var idle = started.Elapsed;
        report.Add($"Catch-up of a node restarted after {accepted:N0} events", $"{ready.TotalSeconds:N1} s to ready", "measured",
            $"node B stopped (SIGTERM), {accepted:N0} events posted through node A, B started again: process start → /healthz/ready 200 "
            + $"(polled every 200 ms); the last event {(markerAtReady ? "was" : "was NOT")} in B's list at ready; the same restart with "
            + $"nothing to catch up took {idle.TotalSeconds:N1} s");
        Log($"catch-up: ready after {ready.TotalSeconds:N1} s (idle restart {idle.TotalSeconds:N1} s), last event listed: {markerAtReady}");
    }

    /// <summary>Posts one event to <paramref name="from"/>; the time from its 202 until <paramref name="to"/> lists it (ticks), or null.</summary>
    private static async Task<long?> PostAndWatchAsync(HttpClient post, HttpClient read, string session, TimeSpan limit)
    {
        var reply = await post.PostAsJsonAsync("/api/activity", Visit(session));
        if (reply.StatusCode != HttpStatusCode.Accepted) throw new InvalidOperationException($"POST /api/activity answered {(int)reply.StatusCode}");
        var acknowledged = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(acknowledged) < limit)
        {
            if (await ListsAsync(read, session)) return Stopwatch.GetTimestamp() - acknowledged;
            await Task.Delay(2);
        }

        return null;
    }

    private static async Task<bool> ListsAsync(HttpClient http, string session)
    {
        var page = await http.GetFromJsonAsync<JsonElement>($"/api/online?search={Uri.EscapeDataString(session)}&take=1");
        return page.GetProperty("total").GetInt64() > 0;
    }

    private static object Visit(string session) =>
        new { type = "cart_add", sessionId = session, url = "https://shop.example/checkout/cart", item = new { sku = "WB-01", name = "Water bottle", qty = 1 } };

    private static void Log(string message) => Console.Error.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {message}");

    private sealed record Settings(string App, string Script, string Postgres, int Connections, int Seconds, int Rounds, int Samples,
        int CatchUpEvents, string Folder, string ApiKey, string Log)
    {
        private uint _salt = (uint)Random.Shared.Next();

        public uint NextSalt() => _salt++;

        public async Task<string> CreateDatabaseAsync(string name)
        {
            var database = $"nowonline_bench_{name}_{Guid.NewGuid():N}"[..40];
            await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(Postgres) { Database = "postgres" }.ConnectionString);
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {database}", connection);
            await create.ExecuteNonQueryAsync();
            return new NpgsqlConnectionStringBuilder(Postgres) { Database = database }.ConnectionString;
        }

        public Task<ChildProcess> StartNodeAsync(string name, string connectionString, string readyPath = "/healthz") =>
            ChildProcess.StartAsync(App, [], Environment(new()
            {
                ["Storage__Provider"] = "PostgreSql",
                ["ConnectionStrings__NowOnline"] = connectionString,
                ["Storage__NodeDatabase"] = $"Data Source={Path.Combine(Folder, name + ".db")}",
            }), readyPath, Log);

        public Task<ChildProcess> StartSqliteNodeAsync(string name) =>
            ChildProcess.StartAsync(App, [], Environment(new() { ["ConnectionStrings__NowOnline"] = $"Data Source={Path.Combine(Folder, name + ".db")}" }),
                "/healthz", Log);

        public HttpClient Client(ChildProcess node)
        {
            var http = new HttpClient { BaseAddress = node.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
            http.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
            return http;
        }

        private Dictionary<string, string> Environment(Dictionary<string, string> storage)
        {
            var environment = new Dictionary<string, string>
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Production",
                ["Ingestion__ApiKeys__0"] = ApiKey,
                ["Ingestion__RateLimitPermits"] = "10000000", // the per-key limit guards production, not a load run
                ["Simulator__Enabled"] = "false",
                ["Logging__LogLevel__Default"] = "Warning",
                ["Admin__Email"] = AdminEmail,
                ["Admin__Password"] = AdminPassword,
            };
            foreach (var (key, value) in storage) environment[key] = value;
            return environment;
        }
    }

    private sealed record Load(string What, Wrk.Result[] Runs, TimeSpan Cpu)
    {
        public long Accepted => Runs.Sum(r => r.Accepted);

        public double EventsPerSecond => Accepted / (Runs.Max(r => r.DurationUs) / 1e6);

        public string Describe() =>
            $"{What}: {EventsPerSecond:N0} events/s, {Runs.Sum(r => r.Failures)} failed requests, nodes' CPU "
            + $"{Cpu.TotalMicroseconds / Math.Max(1, Accepted):0.0} µs per event, latency {string.Join(" / ", Runs.Select(r => $"p99 {r.P99Us / 1000.0:0.#} ms"))}";
    }

    /// <summary>The markdown section: machine, load average before and after, one row per figure.</summary>
    private sealed class Report(string command)
    {
        private readonly List<string> _rows = [];
        private readonly string _loadBefore = LoadAverage();
        private readonly DateTimeOffset _started = DateTimeOffset.UtcNow;

        public void Add(string figure, string measured, string target, string how) =>
            _rows.Add($"| {figure} | {measured} | {target} | {how.Replace("|", "/", StringComparison.Ordinal)} |");

        public void Write(string path)
        {
            var text = new StringBuilder()
                .AppendLine("## Several nodes on one PostgreSQL")
                .AppendLine()
                .AppendLine($"`{command}`, {_started:yyyy-MM-dd HH:mm} UTC, {System.Environment.ProcessorCount} cores, .NET {System.Environment.Version}; "
                            + $"load average {_loadBefore} at the start and {LoadAverage()} at the end (other work shares this machine). "
                            + "Every node is the Release build started as `dotnet NowOnline.Web.dll` in a process of its own; PostgreSQL 15 is a "
                            + "private cluster on the same machine, fsync and synchronous_commit on. wrk, the nodes and PostgreSQL share the cores.")
                .AppendLine()
                .AppendLine("| figure | measured | target | how |")
                .AppendLine("|---|---|---|---|");
            foreach (var row in _rows) text.AppendLine(row);
            File.WriteAllText(path, text.ToString());
        }

        private static string LoadAverage() =>
            File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
    }
}
