using System.Diagnostics;
using System.Net.Http.Headers;
using NowOnline.Bench.Shared;

namespace NowOnline.Load;

/// <summary>Concurrent clients posting prepared batches until a request count or a deadline, whichever comes first.</summary>
public static class LoadRun
{
    public sealed record Result(long Requests, long Events, long Failures, TimeSpan Elapsed, Latency Latency, string? FirstFailure)
    {
        public double EventsPerSecond => Events / Elapsed.TotalSeconds;
    }

    public static async Task<Result> RunAsync(Uri baseAddress, string apiKey, IReadOnlyList<byte[]> batches, int eventsPerBatch,
        int clients, TimeSpan duration, long maxRequests)
    {
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = clients, UseProxy = false };
        using var http = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        long next = -1, failures = 0, events = 0;
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
                using var content = new ByteArrayContent(batches[(int)(n % batches.Count)]);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                var sent = Stopwatch.GetTimestamp();
                try
                {
                    using var response = await http.PostAsync("/api/activity", content);
                    latency.Record(Stopwatch.GetTimestamp() - sent);
                    if ((int)response.StatusCode == 202) Interlocked.Add(ref events, eventsPerBatch);
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
        return new Result(all.Count, events, failures, elapsed, all, firstFailure);
    }
}
