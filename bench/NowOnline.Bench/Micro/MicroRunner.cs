using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace NowOnline.Bench.Micro;

/// <summary>Runs the BenchmarkDotNet classes in process (no child build on a shared 2-core machine), writing GitHub markdown.</summary>
public static class MicroRunner
{
    public static void Run(bool quick, string artifacts, string[] filter)
    {
        var job = (quick ? Job.Dry.WithIterationCount(3) : Job.ShortRun).WithToolchain(InProcessEmitToolchain.Instance);
        var config = ManualConfig.CreateEmpty()
            .AddJob(job)
            .AddLogger(ConsoleLogger.Default)
            .AddColumnProvider(DefaultConfig.Instance.GetColumnProviders().ToArray())
            .AddExporter(MarkdownExporter.GitHub)
            .WithArtifactsPath(artifacts)
            .WithOptions(ConfigOptions.DisableLogFile | ConfigOptions.JoinSummary);
        var types = new[] { typeof(ApplyBenchmarks), typeof(QueryBenchmarks) };
        if (filter.Length > 0)
            BenchmarkSwitcher.FromTypes(types).Run(filter, config);
        else
            BenchmarkRunner.Run(types, config);
    }
}
