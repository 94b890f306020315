using System.Text;
using NowOnline.Bench.Shared;

namespace NowOnline.Bench.Report;

/// <summary>Writes docs/performance.md from the figures of one run of the suite (bench + load + BenchmarkDotNet tables).</summary>
public static class PerformanceReport
{
    public static void Write(string results, string output, string command, string notesFile)
    {
        var sets = new[] { "bench.json", "load.json", "metrics.json", "soak.json", "gc.json" }.Select(f => FigureSet.Load(Path.Combine(results, f))).OfType<FigureSet>().ToList();
        var md = new StringBuilder();
        md.AppendLine("# Performance");
        md.AppendLine();
        var taken = sets.Count == 0 ? "" : $"Figures taken {sets.Min(s => s.At):yyyy-MM-dd HH:mm}-{sets.Max(s => s.At):HH:mm} UTC; ";
        md.AppendLine($"{taken}written {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC by `{command}` from the repository root. "
            + "Do not edit by hand: run the command again (`bash bench/run.sh --quick` takes about ten minutes, the full run about half an hour).");
        md.AppendLine();
        md.AppendLine("## Machine");
        md.AppendLine();
        md.AppendLine("| | |");
        md.AppendLine("|---|---|");
        foreach (var (name, value) in MachineInfo.Describe()) md.AppendLine($"| {name} | {Escape(value)} |");
        md.AppendLine();
        md.AppendLine("> **Noise.** Other work on the machine shows in the load average above; absolute figures move with it "
            + "(tail latencies above all: a descheduled thread waits for a time slice), so compare runs taken at a similar load. "
            + "Every comparison runs both sides in the same process run, one after the other, on the same data.");
        md.AppendLine();
        md.AppendLine("## Figures against the targets");
        md.AppendLine();
        md.AppendLine("| scenario | measured | target | result |");
        md.AppendLine("|---|---|---|---|");
        foreach (var set in sets)
            foreach (var f in set.Figures)
                md.AppendLine($"| {Escape(f.Scenario)} | {Escape(f.Measured)} | {Escape(f.Target)} | {(f.Pass is null ? "—" : f.Pass.Value ? "pass" : "**MISS**")} |");
        md.AppendLine();
        foreach (var set in sets)
        {
            md.AppendLine($"## How each figure was measured ({set.Tool}, {set.Mode} mode, {set.At:HH:mm} UTC)");
            md.AppendLine();
            foreach (var f in set.Figures) md.AppendLine($"- **{f.Scenario}**: {f.Detail}");
            foreach (var note in set.Notes) md.AppendLine($"- {note}");
            md.AppendLine();
        }

        var micro = Directory.Exists(Path.Combine(results, "bdn", "results"))
            ? Directory.GetFiles(Path.Combine(results, "bdn", "results"), "*-report-github.md").Order(StringComparer.Ordinal).ToList()
            : [];
        if (micro.Count > 0)
        {
            md.AppendLine("## Micro-benchmarks (BenchmarkDotNet 0.14.0, MemoryDiagnoser, in-process toolchain)");
            md.AppendLine();
            foreach (var file in micro)
            {
                md.AppendLine($"### {Path.GetFileNameWithoutExtension(file).Replace("-report-github", "").Split('.').Last()}");
                md.AppendLine();
                foreach (var line in File.ReadLines(file).Where(l => !l.StartsWith("```", StringComparison.Ordinal))) md.AppendLine(line);
                md.AppendLine();
            }
        }

        if (File.Exists(notesFile))
        {
            md.AppendLine(File.ReadAllText(notesFile).TrimEnd());
            md.AppendLine();
        }

        // Several nodes need a PostgreSQL of their own: bench/cluster.sh measures them separately and keeps its last
        // section beside the notes, so this report carries it too.
        var clusterFile = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(notesFile))!, "cluster-figures.md");
        if (File.Exists(clusterFile))
        {
            md.AppendLine(File.ReadAllText(clusterFile).TrimEnd());
            md.AppendLine();
        }

        md.AppendLine("## Running it");
        md.AppendLine();
        md.AppendLine("```bash");
        md.AppendLine("bash bench/run.sh --quick   # a few minutes: smaller rounds, BenchmarkDotNet dry jobs, a soak of 1,000,000 events");
        md.AppendLine("bash bench/run.sh           # the full run: longer rounds, BenchmarkDotNet short runs, the soak to 10,000,000 events");
        md.AppendLine("bash bench/cluster.sh       # several nodes on a private PostgreSQL (--quick: catch-up after 100,000 events)");
        md.AppendLine("bash bench/metrics-cost.sh  # by hand: the hot path with metrics off and on, a fresh app per round (run.sh has its own phase)");
        md.AppendLine("dotnet bench/NowOnline.Load/bin/Release/net10.0/NowOnline.Load.dll gc-matrix --app NowOnline.Web/bin/Release/net10.0/NowOnline.Web.dll --out bench/results/gc.json");
        md.AppendLine("```");
        md.AppendLine();
        md.AppendLine("The script builds `bench/NowOnline.Bench` and `bench/NowOnline.Load` in Release, runs the in-process scenarios, the "
            + "BenchmarkDotNet classes, then the HTTP load tool: NowOnline (`dotnet NowOnline.Web.dll`, Release, own SQLite file), the HTTP floor "
            + "and the classic baseline each in a process of its own on 127.0.0.1, loaded by wrk (`bench/wrk/batches.lua`, its own process) and "
            + "by an open-loop paced client, every phase bounded in requests and time, with the Chromium measurement; then the metrics cost (two apps, "
            + "`Metrics:Enabled` off and on, alternating wrk rounds) and the soak (a fresh app, 50,000 sessions, resident memory every N events); "
            + "then it writes this file. Raw results are left in `bench/results/` (not committed).");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
        File.WriteAllText(output, md.ToString());
    }

    private static string Escape(string text) => text.Replace("|", "\\|").Replace("\n", " ");
}
