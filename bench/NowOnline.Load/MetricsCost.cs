using System.Globalization;
using NowOnline.Bench.Shared;

namespace NowOnline.Load;

/// <summary>
/// What recording metrics costs the ingestion path (issue 15's "not more than 1 %"): two copies of the app run side by side,
/// one with <c>Metrics:Enabled</c> false and one true, each with its own SQLite file, and wrk loads them in alternating short
/// rounds (off, on, off, on, ...), so both see the same machine, the same growth of their data and the same neighbours.
/// <para>
/// Per round and app: its CPU time (user + system, /proc) from the start of its round to the start of its next round (so
/// work an app defers past its round, such as checkpoint slices, is charged to the round that caused it, and both windows
/// hold one round of each app) divided by the events it accepted in its round. The figure is the mean of the per-round
/// change on/off with its 95 % t interval. Allocated bytes per event come from the runtime's own counter read from
/// outside (<see cref="DotnetCounters"/>), in the same windows, so they are measured alike with metrics on and off.
/// The on app is scraped at <c>/metrics</c> every 15 s, as Prometheus would; the scrape's cost is part of the figure.
/// </para>
/// </summary>
public static class MetricsCost
{
    private sealed record Cycle(long Events, long Requests, double CpuSeconds, long? Allocated);

    public static async Task<int> RunAsync(string[] args)
    {
        var quick = args.Contains("--quick");
        string Option(string name, string fallback) => CommandLine.Option(args, name, fallback);

        var appDll = Path.GetFullPath(Option("--app", "NowOnline.Web/bin/Release/net10.0/NowOnline.Web.dll"));
        var script = Path.GetFullPath(Option("--wrk-script", "bench/wrk/batches.lua"));
        var output = Path.GetFullPath(Option("--out", "bench/results/metrics.json"));
        var rounds = int.Parse(Option("--rounds", quick ? "10" : "24"), CultureInfo.InvariantCulture);
        var roundSeconds = int.Parse(Option("--round-seconds", quick ? "4" : "5"), CultureInfo.InvariantCulture);
        var profileScript = Path.GetFullPath(Option("--profile-script", Path.Combine(Path.GetDirectoryName(script)!, "..", "metrics-profile.py")));
        var profile = !args.Contains("--no-profile") && Profiler.Available() && File.Exists(profileScript);
        const int connections = 16;
        var folder = Directory.CreateTempSubdirectory("nowonline-metrics-").FullName;
        var logs = Path.Combine(Path.GetDirectoryName(output)!, "servers.log");
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        var apiKey = "metrics-" + Guid.NewGuid().ToString("N");
        uint salt = (uint)Random.Shared.Next();
        try
        {
            var bodies = Path.Combine(folder, "bodies.jsonl");
            await Storefront.WriteLinesAsync(bodies, Storefront.LoadBodies());
            var modes = new[] { false, true };
            var apps = new ChildProcess[2];
            var counters = new DotnetCounters?[2];
            var profilers = new Profiler?[2];
            try
            {
                for (var m = 0; m < 2; m++)
                    apps[m] = await ChildProcess.StartAsync(appDll, [], LoadApp.Environment(Path.Combine(folder, $"metrics-{modes[m]}.db"), apiKey,
                        Profiler.Settings(profile, ("Metrics__Enabled", modes[m] ? "true" : "false"))), "/healthz/ready", logs);
                Log($"metrics cost: off pid {apps[0].Id}, on pid {apps[1].Id}; warm-up, then {rounds} rounds of {roundSeconds} s each, alternating");
                using var scraper = new HttpClient { BaseAddress = apps[1].BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
                for (var m = 0; m < 2; m++)
                    await Wrk.RunAsync(script, apps[m].BaseAddress, bodies, apiKey, connections, quick ? 6 : 10, 10_000_000, salt++);
                var firstScrape = await scraper.GetStringAsync("/metrics"); // compiles the scrape before the rounds
                if (!firstScrape.Contains("nowonline_events_accepted_total", StringComparison.Ordinal))
                    throw new InvalidOperationException("metrics on but /metrics has no nowonline_events_accepted_total");
                for (var m = 0; m < 2; m++)
                    counters[m] = await DotnetCounters.StartAsync(apps[m].Id, Path.Combine(folder, $"counters-{modes[m]}.csv"));
                if (counters.Any(c => c is null)) Log("metrics cost: dotnet-counters not found (DOTNET_COUNTERS): allocations not measured");
                if (profile)
                    for (var m = 0; m < 2; m++)
                        profilers[m] = Profiler.Start(apps[m].Id, Path.Combine(folder, $"perf-{modes[m]}.data"), quick ? 199 : 99);
                await Task.Delay(1500);

                var cycles = new List<Cycle>[] { [], [] };
                var scraped = DateTime.UtcNow;
                var startCpu = new double[2];
                var startAllocated = new long?[2];
                Wrk.Result?[] last = [null, null];
                for (var round = 0; round <= rounds; round++)
                    for (var m = 0; m < 2; m++)
                    {
                        var cpu = apps[m].CpuTime().TotalSeconds;
                        var allocated = counters[m]?.AllocatedBytes();
                        if (last[m] is { } previous)
                            cycles[m].Add(new Cycle(previous.Accepted, previous.Requests, cpu - startCpu[m], allocated - startAllocated[m]));
                        if (round == rounds) continue; // the last pass only closes the previous cycle
                        startCpu[m] = cpu;
                        startAllocated[m] = allocated;
                        last[m] = await Wrk.RunAsync(script, apps[m].BaseAddress, bodies, apiKey, connections, roundSeconds, 10_000_000, salt++);
                        if (last[m]!.Failures > 0) throw new InvalidOperationException($"metrics cost: {last[m]!.Failures} failed requests (mode {modes[m]})");
                        if (modes[m] && DateTime.UtcNow - scraped >= TimeSpan.FromSeconds(15))
                        {
                            await scraper.GetStringAsync("/metrics");
                            scraped = DateTime.UtcNow;
                        }
                    }

                var shares = new Profiler.Share?[2];
                for (var m = 0; m < 2; m++)
                    if (profilers[m] is { } profiler)
                        shares[m] = await profiler.StopAsync(profileScript);
                var figure = Summarize(cycles[0], cycles[1], roundSeconds, counters.All(c => c is not null), shares[0], shares[1]);
                Log($"metrics cost: {figure.Measured}; {figure.Detail}");
                new FigureSet("NowOnline.Load metrics-cost", quick ? "quick" : "full", DateTimeOffset.UtcNow, figure.Figures, figure.Notes).Save(output);
                return 0;
            }
            finally
            {
                foreach (var p in profilers) p?.Dispose();
                foreach (var c in counters) if (c is not null) await c.DisposeAsync();
                foreach (var app in apps) if (app is not null) await app.DisposeAsync();
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private sealed record Summary(string Measured, string Detail, List<Figure> Figures, List<string> Notes);

    private static Summary Summarize(List<Cycle> off, List<Cycle> on, int roundSeconds, bool allocations, Profiler.Share? offShare, Profiler.Share? onShare)
    {
        static double CpuPerEvent(Cycle c) => c.CpuSeconds * 1e6 / Math.Max(1, c.Events);
        // A round in which either app accepted next to nothing (the machine stalled it; seen under load average 30) has no
        // meaningful CPU per event: such pairs are left out of the paired change and counted in the detail.
        var median = off.Concat(on).Select(c => c.Events).Order().ElementAt(off.Count);
        var pairs = off.Zip(on).Where(p => p.First.Events >= median / 4 && p.Second.Events >= median / 4).ToList();
        var change = Interval.Of(pairs.Select(p => (CpuPerEvent(p.Second) / CpuPerEvent(p.First) - 1) * 100).ToList());
        long offEvents = off.Sum(c => c.Events), onEvents = on.Sum(c => c.Events);
        double offUs = off.Sum(c => c.CpuSeconds) * 1e6 / Math.Max(1, offEvents), onUs = on.Sum(c => c.CpuSeconds) * 1e6 / Math.Max(1, onEvents);
        var rounds = string.Join(" ", pairs.Select(p => $"{CpuPerEvent(p.First):0.0}/{CpuPerEvent(p.Second):0.0}"));
        var measured = $"{change.Mean:+0.00;-0.00} % CPU per event (95 % interval {change.Low:+0.00;-0.00} to {change.High:+0.00;-0.00} %)";
        bool? pass = change.High < 1 ? true : change.Low >= 1 ? false : null;
        var detail = $"two copies of the app (Release, Production, own SQLite files) side by side, `Metrics:Enabled` false and true, loaded "
            + $"by wrk (16 connections, batches of 100 new events) in {off.Count} alternating rounds of {roundSeconds} s after a warm-up; per round the app's "
            + $"CPU (user + system, /proc) from the start of its round to the start of its next, over the events it accepted: off {offUs:0.00} µs, "
            + $"on {onUs:0.00} µs per event over all rounds ({offEvents:N0} and {onEvents:N0} events); the change on/off paired by round: "
            + change.Describe(" %") + $" ({off.Count - pairs.Count} of {off.Count} rounds left out: an app accepted under a quarter of the median round); "
            + $"per round off/on µs: {rounds}; /metrics scraped every 15 s while on"
            + (pass is null ? "; the interval contains 1 %, so this run does not decide the target (a quieter machine or more rounds narrows it)" : "");
        var figures = new List<Figure>();
        if (onShare is not null && offShare is not null)
        {
            // Both apps are read by dotnet-counters (a MeterListener polling the runtime's gauges once a second), which the
            // profile charges to metric code in both: the cost of Metrics:Enabled is the difference of the two shares.
            var (difference, low, high) = onShare.Minus(offShare);
            figures.Add(new Figure("Metrics cost on the ingestion path: share of the app's CPU in metric code, on minus off (perf, same rounds)",
                $"{difference:+0.00;-0.00} points (95 % interval {low:+0.00;-0.00} to {high:+0.00;-0.00})", "< 1 %", high < 1,
                $"`perf record -g` of each app over all its rounds, frames named through DOTNET_PerfMapEnabled (both apps run with ReadyToRun "
                + "and tiering off so every frame has a name), each sample charged to the innermost non-runtime component on its stack by "
                + "bench/metrics-profile.py; metric code is System.Diagnostics.Metrics, OpenTelemetry, the Prometheus exporter, NowOnlineMetrics "
                + $"and ASP.NET Core's *Metrics types. Metrics on: {onShare.Percent:0.00} % of {onShare.Samples:N0} samples "
                + $"({onShare.Low:0.00} to {onShare.High:0.00} %); off: {offShare.Percent:0.00} % of {offShare.Samples:N0} ({offShare.Low:0.00} to "
                + $"{offShare.High:0.00} %, the dotnet-counters listener both apps carry); interval of the difference by the normal approximation "
                + $"for two proportions. Top entries with metrics on: {onShare.Top}"));
        }

        figures.AddRange(new List<Figure>
        {
            new("Metrics cost on the ingestion path: CPU per event with Metrics:Enabled on vs off, alternating rounds", measured, "< 1 %", pass, detail),
        });
        if (allocations)
        {
            static double BytesPerEvent(Cycle c) => c.Allocated!.Value / (double)Math.Max(1, c.Events);
            var diff = Interval.Of(pairs.Select(p => BytesPerEvent(p.Second) - BytesPerEvent(p.First)).ToList());
            double offBytes = off.Sum(c => c.Allocated!.Value) / (double)Math.Max(1, offEvents), onBytes = on.Sum(c => c.Allocated!.Value) / (double)Math.Max(1, onEvents);
            figures.Add(new Figure("Metrics cost: bytes allocated per event with Metrics:Enabled on vs off (same rounds)",
                $"{onBytes - offBytes:+0.0;-0.0} B per event (on {onBytes:N0}, off {offBytes:N0})", "no allocation per event for metrics", null,
                "the runtime's `dotnet.gc.heap.total_allocated` read from outside with `dotnet-counters collect` (once a second, the same "
                + "windows as the CPU figure, idle time between rounds included alike for both apps); the per-round difference on − off: "
                + diff.Describe(" B", "+0.0;-0.0") + " per event. The service's own instruments record once per commit group and allocate "
                + "nothing (test `Recording_a_commit_group_allocates_nothing`); a difference inside the interval is the per-request "
                + "`http.server.request.duration` recording and the scrape"));
        }

        return new Summary(measured, detail, figures,
            ["Metrics cost: both apps ran at once and were loaded in turn; the machine's load average is in the Machine table. Rerun alone: "
             + "`dotnet bench/NowOnline.Load/bin/Release/net10.0/NowOnline.Load.dll metrics-cost --app <NowOnline.Web.dll> --out <file>` "
             + "(`--rounds N --round-seconds S`)."]);
    }

    private static void Log(string message) => Console.Error.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {message}");
}
