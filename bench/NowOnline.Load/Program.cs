using NowOnline.Bench.Shared;
using NowOnline.Load;
using NowOnline.Web;

// NowOnline.Load [--quick] [--port 5087] [--target http://127.0.0.1:5087 --api-key KEY] [--clients 16] [--seconds 20]
//                [--max-requests 20000] [--no-browser] [--out bench/results/load.json]
// Starts NowOnline (and the classic baseline) on 127.0.0.1 unless --target names a running NowOnline; stops by itself.
var quick = args.Contains("--quick");
string Option(string name, string fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}

int IntOption(string name, int fallback) => int.Parse(Option(name, fallback.ToString(System.Globalization.CultureInfo.InvariantCulture)),
    System.Globalization.CultureInfo.InvariantCulture);

var clients = IntOption("--clients", 16);
var seconds = IntOption("--seconds", quick ? 8 : 30);
var baselineSeconds = IntOption("--baseline-seconds", quick ? 5 : 20);
var maxRequests = IntOption("--max-requests", quick ? 6_000 : 30_000);
var browserSamples = IntOption("--browser-samples", quick ? 20 : 120);
var output = Option("--out", "bench/results/load.json");
var target = Option("--target", "");
if (target.Length > 0 && !new Uri(target).IsLoopback)
{
    Console.Error.WriteLine("--target must be a loopback address (127.0.0.1): this tool never loads another machine.");
    return 2;
}

const int batchSize = 100;
const string adminEmail = "bench-admin@example.com";
const string adminPassword = "Bench-Only-Password-1";
var apiKey = Option("--api-key", "load-" + Guid.NewGuid().ToString("N"));
var folder = Directory.CreateTempSubdirectory("nowonline-load-").FullName;
var figures = new List<Figure>();
var notes = new List<string>();
WebApplication? app = null;
try
{
    Uri ours;
    if (target.Length > 0) ours = new Uri(target);
    else
    {
        var port = IntOption("--port", 5087);
        app = await NowOnlineApp.BuildAsync(
        [
            "--urls", $"http://127.0.0.1:{port}", "--environment", "Production",
            $"--ConnectionStrings:NowOnline=Data Source={Path.Combine(folder, "nowonline.db")}",
            $"--Ingestion:ApiKeys:0={apiKey}", "--Simulator:Enabled=false", "--Logging:LogLevel:Default=Warning",
            $"--Admin:Email={adminEmail}", $"--Admin:Password={adminPassword}",
            "--Ingestion:RateLimitPermits=10000000", // the per-key limit guards production, not a load run
        ]);
        await app.StartAsync();
        ours = new Uri($"http://127.0.0.1:{port}");
    }

    Log($"NowOnline at {ours}; preparing request bodies");
    var batches = new UniqueBodies(Storefront.Batches(Math.Min(maxRequests, 4_000), batchSize, sessions: 100_000, seed: 5));
    Log("warm-up");
    // Long enough at full concurrency for the JIT to finish tiering up the hot paths (tiered PGO re-compiles them after
    // an instrumented pass), so the measured phase is steady state rather than compilation.
    var warmUp = new UniqueBodies(Storefront.Batches(200, batchSize, 100_000, 9));
    await LoadRun.RunAsync(ours, apiKey, warmUp, clients, TimeSpan.FromSeconds(quick ? 6 : 15), quick ? 1_500 : 5_000);

    Log($"NowOnline: {clients} clients, up to {seconds} s or {maxRequests:N0} requests");
    var mine = await LoadRun.RunAsync(ours, apiKey, batches, clients, TimeSpan.FromSeconds(seconds), maxRequests);
    Log($"NowOnline: {mine.EventsPerSecond:N0} events/s, {mine.Latency.Summary()}, {mine.Duplicates} duplicates, {mine.Failures} failures {mine.FirstFailure}");

    await using var classic = await ClassicServer.StartAsync(Path.Combine(folder, "classic.db"));
    Log($"baseline at {classic.BaseAddress}: warm-up, then {clients} clients, up to {baselineSeconds} s");
    await LoadRun.RunAsync(classic.BaseAddress, apiKey, warmUp, clients, TimeSpan.FromSeconds(quick ? 2 : 5), quick ? 100 : 300);
    var theirs = await LoadRun.RunAsync(classic.BaseAddress, apiKey, batches, clients, TimeSpan.FromSeconds(baselineSeconds), maxRequests);
    Log($"baseline: {theirs.EventsPerSecond:N0} events/s, {theirs.Latency.Summary()}, {theirs.Failures} failures {theirs.FirstFailure}");

    var ratio = mine.EventsPerSecond / theirs.EventsPerSecond;
    var sameRun = $"{clients} concurrent clients on loopback, each posting batches of {batchSize} events (one JSON array) and waiting for 202";
    figures.Add(new Figure("End-to-end ingestion over HTTP on loopback, batches of 100, durable commit to SQLite",
        $"{mine.EventsPerSecond:N0} events/s", ">= 50,000 events/s", mine.EventsPerSecond >= 50_000 && mine.Failures == 0,
        $"{sameRun}; every request carries new event ids; {mine.Requests:N0} requests ({mine.Events:N0} events acknowledged, {mine.Duplicates:N0} of them answered as duplicates) in {mine.Elapsed.TotalSeconds:0.0} s, "
        + $"{mine.Failures} failed{(mine.FirstFailure is null ? "" : $" (first: {mine.FirstFailure})")}; request latency {mine.Latency.Summary()}; "
        + "the load generator runs in the same process as the app, so both share the 2 cores"));
    figures.Add(new Figure("Baseline: one autocommitted row INSERT/UPDATE per event in SQLite, same HTTP contract and parser",
        $"{theirs.EventsPerSecond:N0} events/s", "measured in the same run", null,
        $"{sameRun}; {theirs.Requests:N0} requests in {theirs.Elapsed.TotalSeconds:0.0} s, {theirs.Failures} failed; request latency "
        + $"{theirs.Latency.Summary()}; {classic.Rows:N0} session rows written"));
    figures.Add(new Figure("Ingestion: NowOnline against the baseline", $"{ratio:N0}x", ">= 20x", ratio >= 20,
        $"{mine.EventsPerSecond:N0} / {theirs.EventsPerSecond:N0} events/s, same batches, same clients, same process run"));

    if (!args.Contains("--no-browser") && target.Length == 0)
    {
        Log($"browser: {browserSamples} events into an open grid");
        var screenshot = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(output))!, "browser-grid.png");
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        var (latency, missed, error) = await BrowserProbe.RunAsync(ours, apiKey, adminEmail, adminPassword, browserSamples, screenshot);
        Log($"browser: {latency.Summary()}, {missed} missed {error}");
        var p99 = latency.Ms(99);
        figures.Add(new Figure("Real browser: event posted -> row visible in an open grid (Chromium, Playwright)",
            $"p99 {p99:N0} ms", "p99 <= 500 ms", p99 <= 500 && missed == 0,
            $"{latency.Summary()}; {missed} rows not seen within 10 s{(error is null ? "" : $" ({error})")}; posted time from .NET, "
            + $"seen time from a MutationObserver in the page (Date.now()), same machine clock; {mine.Events:N0} events already in the "
            + "tracker; the grid re-reads its page at once when idle and coalesces to every 250 ms only under load (OnlineGrid.RefreshInterval)"));
    }

    var set = new FigureSet("NowOnline.Load", quick ? "quick" : "full", DateTimeOffset.UtcNow, figures, notes);
    set.Save(output);
    foreach (var f in figures) Console.WriteLine($"{(f.Pass is null ? "    " : f.Pass.Value ? "pass" : "MISS")}  {f.Scenario}: {f.Measured} (target {f.Target})");
    return 0;
}
finally
{
    if (app is not null)
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    Directory.Delete(folder, recursive: true);
}

static void Log(string message) => Console.Error.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {message}");
