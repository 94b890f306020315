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
        TimeSpan lateAfter, string? trace = null)
    {
        var traced = trace is null ? null : new List<(long Due, long Took)>();
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
        // Wakes about once a millisecond and sends every request that has fallen due since the last wake-up. It never spins:
        // a client that spun between requests (Thread.Yield until the next due time) used half a core of this 2-core machine
        // at 500 requests a second (top, 2026-12-03 21:12 UTC), CPU the server under test then lacked. A request sent up to a
        // timer tick after its due time counts that delay in its latency, like any other wait.
        for (long k = 0; k < total;)
        {
            var fallenDue = Math.Min(total, (long)((Stopwatch.GetTimestamp() - started) / interval) + 1);
            for (; k < fallenDue; k++)
            {
                await inFlight.WaitAsync();
                tasks.Add(Send(k, started + (long)(k * interval)));
            }

            if (k < total) await Task.Delay(1);
        }

        await Task.WhenAll(tasks);
        if (trace is not null)
        {
            // One line per request: its due time (Unix ms, this machine's clock) and its latency (ms), for a timeline by hand.
            var origin = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            await File.WriteAllLinesAsync(trace, traced!.OrderBy(t => t.Due).Select(t =>
                $"{origin + (t.Due - started) * 1000.0 / Stopwatch.Frequency:F0} {t.Took * 1000.0 / Stopwatch.Frequency:F1}"));
        }

        return new Result(latency.Count, events, failures, late, Stopwatch.GetElapsedTime(started), latency, firstFailure);

        async Task Send(long k, long due)
        {
            var body = batches.For(k);
            var count = batches.EventsIn(k);
            try
            {
                using var content = new ByteArrayContent(body);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                using var response = await http.PostAsync("/api/activity", content);
                var took = Stopwatch.GetTimestamp() - due;
                lock (gate)
                {
                    latency.Record(took);
                    traced?.Add((due, took));
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
        }
    }
}
