using System.Diagnostics;
using System.Net.Http.Headers;
using NowOnline.Bench.Shared;

namespace NowOnline.Load;

/// <summary>
/// Open-loop load for latency (what wrk2 does): request k is due at start + k / rate, whatever happened to earlier ones,
/// and its latency is counted from when it was due, not from when it was sent. A server that stalls for 600 ms therefore
/// shows 600 ms on every request that fell due during the stall (no coordinated omission), as a storefront would see it.
/// </summary>
public static class PacedRun
{
    public sealed record Result(long Requests, long Events, long Failures, int Late, TimeSpan Elapsed, Latency Latency, string? FirstFailure)
    {
        public double EventsPerSecond => Events / Elapsed.TotalSeconds;
    }

    /// <summary>Posts <paramref name="requestsPerSecond"/> batches a second for <paramref name="duration"/>; at most 512 in flight.</summary>
    public static async Task<Result> RunAsync(Uri target, string apiKey, UniqueBodies batches, double requestsPerSecond, TimeSpan duration,
        TimeSpan lateAfter)
    {
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 64, UseProxy = false };
        using var http = new HttpClient(handler) { BaseAddress = target, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        var total = (long)(requestsPerSecond * duration.TotalSeconds);
        var latency = new Latency((int)Math.Min(total, 1_000_000));
        var gate = new object();
        long events = 0, failures = 0;
        var late = 0;
        string? firstFailure = null;
        using var inFlight = new SemaphoreSlim(512);
        var tasks = new List<Task>((int)Math.Min(total, 1_000_000));
        var started = Stopwatch.GetTimestamp();
        var interval = Stopwatch.Frequency / requestsPerSecond;
        for (long k = 0; k < total; k++)
        {
            var due = started + (long)(k * interval);
            while (Stopwatch.GetTimestamp() < due)
            {
                var wait = (due - Stopwatch.GetTimestamp()) * 1000 / Stopwatch.Frequency;
                if (wait > 1) await Task.Delay((int)wait - 1);
                else Thread.Yield();
            }

            await inFlight.WaitAsync();
            var body = batches.For(k);
            var count = batches.EventsIn(k);
            tasks.Add(Task.Run(async () =>
            {
                try
                {
                    using var content = new ByteArrayContent(body);
                    content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                    using var response = await http.PostAsync("/api/activity", content);
                    var took = Stopwatch.GetTimestamp() - due;
                    lock (gate)
                    {
                        latency.Record(took);
                        if (took >= lateAfter.TotalSeconds * Stopwatch.Frequency) late++;
                        if ((int)response.StatusCode == 202) events += count;
                        else
                        {
                            failures++;
                            firstFailure ??= $"{(int)response.StatusCode}";
                        }
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    lock (gate)
                    {
                        failures++;
                        firstFailure ??= ex.Message;
                    }
                }
                finally
                {
                    inFlight.Release();
                }
            }));
        }

        await Task.WhenAll(tasks);
        return new Result(latency.Count, events, failures, late, Stopwatch.GetElapsedTime(started), latency, firstFailure);
    }
}
