using System.Diagnostics;
using System.Text.Json;

namespace NowOnline.Load;

/// <summary>
/// Runs Debian's <c>wrk</c> (a C load generator, in its own process) with <c>bench/wrk/batches.lua</c>: closed loop, each of
/// the connections posts a batch and waits for the reply. The script prints one JSON line of counts and percentiles.
/// </summary>
public static class Wrk
{
    public sealed record Result(long Requests, long DurationUs, long Accepted, long Duplicates, long BadStatus, long ConnectErrors,
        long ReadErrors, long WriteErrors, long Timeouts, long P50Us, long P90Us, long P99Us, long P999Us, long MaxUs)
    {
        public double EventsPerSecond => Accepted / (DurationUs / 1e6);

        public long Failures => BadStatus + ConnectErrors + ReadErrors + WriteErrors + Timeouts;

        public string Summary() =>
            $"p50 {P50Us / 1000.0:0.##} ms · p90 {P90Us / 1000.0:0.##} ms · p99 {P99Us / 1000.0:0.##} ms · p99.9 {P999Us / 1000.0:0.##} ms · max {MaxUs / 1000.0:0.##} ms ({Requests:N0} requests)";
    }

    public static async Task<Result> RunAsync(string script, Uri target, string bodies, string apiKey, int connections, int seconds,
        long maxRequests, uint salt)
    {
        const int threads = 2; // one per core: wrk's event loops cost little, the app needs the cores
        var info = new ProcessStartInfo("wrk") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[]
                 {
                     $"-t{threads}", $"-c{connections}", $"-d{seconds}s", "--timeout", "30s", "-s", script, target.ToString().TrimEnd('/'),
                     "--", bodies, apiKey, salt.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     Math.Max(1, maxRequests / threads).ToString(System.Globalization.CultureInfo.InvariantCulture),
                 })
            info.ArgumentList.Add(a);
        using var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start wrk (apt-get install -y wrk)");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(seconds + 60));
        await process.WaitForExitAsync(limit.Token);
        var json = (await output).Split('\n').LastOrDefault(l => l.StartsWith('{'))
                   ?? throw new InvalidOperationException($"wrk printed no result: {await output} {await errors}");
        return JsonSerializer.Deserialize<Result>(json, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
    }
}
