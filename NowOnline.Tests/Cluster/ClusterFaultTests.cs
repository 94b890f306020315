using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using NowOnline.Core.Presence;
using NowOnline.Tests.Support;

namespace NowOnline.Tests.Cluster;

/// <summary>
/// Faults of a cluster on one PostgreSQL: a node killed with SIGKILL loses nothing it acknowledged, and PostgreSQL going
/// away turns appends into 503 with Retry-After while the lists keep serving, then everything resumes by itself.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ClusterFaultTests(PostgresServer postgres)
{
    [Fact]
    public async Task Node_killed_mid_stream_loses_no_acknowledged_event_on_the_other_node_or_after_its_restart()
    {
        await using var cluster = await ClusterNodes.CreateAsync(postgres);
        var b = await cluster.StartAsync("b");
        using var folder = new TempFolder();
        var a = AppProcess.Start(folder.File("unused.db"), cluster.NodeArgs);
        try
        {
            await a.WaitUntilHealthyAsync();
            var shop = StorefrontEvents.Tagged();
            var acknowledged = new ConcurrentBag<string>();
            using var stop = new CancellationTokenSource();
            var client = a.Storefront();
            var streams = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
            {
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    var session = $"w{w}-{i}";
                    try
                    {
                        var response = await client.PostEventAsync(shop.CartAdd(session));
                        if (response.StatusCode == HttpStatusCode.Accepted) acknowledged.Add(shop.SessionId(session));
                    }
                    catch (HttpRequestException)
                    {
                        return; // the node is gone
                    }
                    catch (TaskCanceledException)
                    {
                        return;
                    }
                }
            })).ToList();

            await Eventually.TrueAsync(() => acknowledged.Count >= 200, "node A has acknowledged 200 events");
            a.Kill();
            await stop.CancelAsync();
            await Task.WhenAll(streams);

            var tracker = b.Services.GetRequiredService<PresenceTracker>();
            var acked = acknowledged.ToList();
            Assert.NotEmpty(acked);
            await Eventually.TrueAsync(() => acked.All(id => tracker.GetSession(id) is not null),
                $"node B has every one of the {acked.Count} events node A acknowledged");

            var restarted = AppProcess.Start(folder.File("unused.db"), cluster.NodeArgs);
            try
            {
                await restarted.WaitUntilHealthyAsync();
                var onA = restarted.Storefront();
                foreach (var id in acked)
                    Assert.Equal(HttpStatusCode.OK, (await onA.GetAsync($"/api/sessions/{id}")).StatusCode);
            }
            finally
            {
                restarted.Dispose();
            }
        }
        finally
        {
            a.Dispose();
        }
    }

    [Fact]
    public async Task PostgreSql_stopped_under_load_gives_503_with_retry_after_and_the_nodes_resume_without_a_restart()
    {
        await using var cluster = await ClusterNodes.CreateAsync(postgres);
        var a = await cluster.StartAsync("a");
        var b = await cluster.StartAsync("b");
        var shop = StorefrontEvents.Tagged();
        Assert.Equal(HttpStatusCode.Accepted, (await a.Storefront().PostEventAsync(shop.CartAdd("before"))).StatusCode);
        await Eventually.TrueAsync(() => b.Services.GetRequiredService<PresenceTracker>().GetSession(shop.SessionId("before")) is not null,
            "node B has the first event");

        var acknowledged = new ConcurrentBag<string>();
        var refused = new ConcurrentBag<string?>();
        var unexpected = new ConcurrentBag<HttpStatusCode>();
        using var stop = new CancellationTokenSource();
        var load = Task.Run(async () =>
        {
            var client = a.Storefront();
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var response = await client.PostEventAsync(shop.CartAdd($"load-{i}"));
                if (response.StatusCode == HttpStatusCode.Accepted) acknowledged.Add(shop.SessionId($"load-{i}"));
                else if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
                    refused.Add(response.Headers.RetryAfter?.Delta?.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
                else unexpected.Add(response.StatusCode);
                await Task.Delay(20);
            }
        });

        await Eventually.TrueAsync(() => acknowledged.Count >= 5, "the load is acknowledged before the outage");
        await postgres.StopAsync();
        try
        {
            await Eventually.TrueAsync(() => refused.Count >= 5, "appends are refused while PostgreSQL is down");
            // Reads keep serving the last known list.
            var online = await ClusterNodes.OnlineSessionsAsync(b.Storefront(), shop.Tag!);
            Assert.Contains(shop.SessionId("before"), online);
        }
        finally
        {
            await postgres.StartAsync();
        }

        var afterOutage = acknowledged.Count;
        var until = DateTime.UtcNow.AddSeconds(60);
        while (acknowledged.Count < afterOutage + 5)
        {
            Assert.False(load.IsCompleted, $"the load stopped: {load.Exception}");
            Assert.True(DateTime.UtcNow < until, $"appends are acknowledged again without restarting the node ({acknowledged.Count} acknowledged, " +
                $"{refused.Count} refused, {unexpected.Count} other answers)");
            await Task.Delay(100);
        }

        await stop.CancelAsync();
        await load;

        Assert.Empty(unexpected);
        Assert.All(refused, retryAfter => Assert.NotNull(retryAfter));
        var tracker = b.Services.GetRequiredService<PresenceTracker>();
        var acked = acknowledged.ToList();
        await Eventually.TrueAsync(() => acked.All(id => tracker.GetSession(id) is not null),
            $"node B, whose tailer reconnected by itself, has every one of the {acked.Count} acknowledged events", seconds: 60);
    }
}
