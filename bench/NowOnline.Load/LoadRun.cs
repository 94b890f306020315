using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using NowOnline.Bench.Shared;

namespace NowOnline.Load;

/// <summary>
/// Concurrent clients posting prepared batches until a request count or a deadline, whichever comes first. Every request
/// carries event ids no earlier request used (<see cref="UniqueBodies"/>), so nothing is answered as a duplicate.
/// </summary>
public static class LoadRun
{
    public sealed record Result(long Requests, long Events, long Duplicates, long Failures, TimeSpan Elapsed, Latency Latency, string? FirstFailure)
    {
        public double EventsPerSecond => Events / Elapsed.TotalSeconds;
    }

    public static async Task<Result> RunAsync(Uri baseAddress, string apiKey, UniqueBodies batches,
        int clients, TimeSpan duration, long maxRequests)
    {
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = clients, UseProxy = false };
        using var http = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        long next = -1, failures = 0, events = 0, duplicates = 0;
        string? firstFailure = null;
        var recorders = new Latency[clients];
        var deadline = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            var latency = recorders[c] = new Latency();
            while (Stopwatch.GetTimestamp() < deadline)
            {
                var n = Interlocked.Increment(ref next);
                if (n >= maxRequests) break;
                using var content = new ByteArrayContent(batches.For(n));
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                var sent = Stopwatch.GetTimestamp();
                try
                {
                    using var response = await http.PostAsync("/api/activity", content);
                    latency.Record(Stopwatch.GetTimestamp() - sent);
                    if ((int)response.StatusCode == 202)
                    {
                        Interlocked.Add(ref events, batches.EventsIn(n));
                        Interlocked.Add(ref duplicates, await DuplicatesAsync(response));
                    }
                    else
                    {
                        Interlocked.Increment(ref failures);
                        firstFailure ??= $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}";
                    }
                }
                catch (HttpRequestException ex)
                {
                    Interlocked.Increment(ref failures);
                    firstFailure ??= ex.Message;
                }
            }
        })));
        var elapsed = Stopwatch.GetElapsedTime(started);
        var all = new Latency();
        foreach (var r in recorders) all.Merge(r);
        return new Result(all.Count, events, duplicates, failures, elapsed, all, firstFailure);
    }

    /// <summary>The "duplicates" count of a 202 reply (0 when the reply has none, as the baseline's).</summary>
    private static async Task<long> DuplicatesAsync(HttpResponseMessage response)
    {
        using var reply = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync());
        return reply.RootElement.TryGetProperty("duplicates", out var value) && value.TryGetInt64(out var count) ? count : 0;
    }
}
