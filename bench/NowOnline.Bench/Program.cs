using NowOnline.Bench.Micro;
using NowOnline.Bench.Report;
using NowOnline.Bench.Scenarios;
using NowOnline.Bench.Shared;
using NowOnline.Bench.Support;

// bench suite  [--quick] [--out bench/results/bench.json]     in-process scenarios against the targets
// bench micro  [--quick] [--artifacts bench/results/bdn] [--filter *Query*]   BenchmarkDotNet classes
// bench report --results bench/results --out docs/performance.md --command "bash bench/run.sh"
var quick = args.Contains("--quick");
string Option(string name, string fallback) => NowOnline.Bench.Shared.CommandLine.Option(args, name, fallback);

switch (args.FirstOrDefault())
{
    case "suite":
        var work = Directory.CreateTempSubdirectory("nowonline-bench-").FullName;
        try
        {
            var only = Option("--only", "");
            bool Wanted(string name) => only.Length == 0 || only.Split(',').Contains(name);
            var figures = new List<Figure>();
            if (Wanted("apply")) figures.AddRange(ApplyScenario.Run(quick));
            if (Wanted("query")) figures.AddRange(QueryScenario.Run(quick, work));
            if (Wanted("memory")) figures.AddRange(MemoryScenario.Run(quick));
            if (Wanted("restore")) figures.AddRange(await RestoreScenario.RunAsync(work));
            if (Wanted("feed")) figures.AddRange(await ChangeFeedScenario.RunAsync(quick, work));
            if (Wanted("expiry")) figures.AddRange(await ExpiryScenario.RunAsync(quick, work));
            if (Wanted("checkpoint")) figures.AddRange(await CheckpointScenario.RunAsync(quick, work));
            var set = new FigureSet("NowOnline.Bench", quick ? "quick" : "full", DateTimeOffset.UtcNow, figures, []);
            set.Save(Option("--out", "bench/results/bench.json"));
            foreach (var f in figures) Console.WriteLine($"{(f.Pass is null ? "    " : f.Pass.Value ? "pass" : "MISS")}  {f.Scenario}: {f.Measured} (target {f.Target})");
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(work, recursive: true);
        }

        return 0;
    case "micro":
        var filter = Option("--filter", "");
        MicroRunner.Run(quick, Option("--artifacts", "bench/results/bdn"), filter.Length == 0 ? [] : ["--filter", filter]);
        return 0;
    case "report":
        PerformanceReport.Write(Option("--results", "bench/results"), Option("--out", "docs/performance.md"),
            Option("--command", "bash bench/run.sh"), Option("--notes", "bench/performance-notes.md"));
        return 0;
    default:
        Console.Error.WriteLine("usage: NowOnline.Bench suite|micro|report [--quick] (see bench/run.sh)");
        return 2;
}
