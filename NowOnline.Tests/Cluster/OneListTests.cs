using System.Net;
using System.Net.Http.Json;
using Npgsql;
using NowOnline.Core.Cluster;
using NowOnline.Core.Ingestion;
using NowOnline.Core.Presence;
using NowOnline.Tests.Support;

namespace NowOnline.Tests.Cluster;

/// <summary>
/// Several nodes on one PostgreSQL serve one online list (ADR-007): every node applies every node's events from the
/// shared log, in one order, so the lists, hub diffs and carts are the same everywhere.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class OneListTests(PostgresServer postgres)
{
    [Fact]
    public async Task Event_posted_on_one_node_is_in_the_other_nodes_online_list()
    {
        await using var cluster = await ClusterNodes.CreateAsync(postgres);
        var a = await cluster.StartAsync("a");
        var b = await cluster.StartAsync("b");
        var shop = StorefrontEvents.Tagged();

        var posted = await a.Storefront().PostEventAsync(shop.Login("s-1", StorefrontEvents.NewCustomerId()));

        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        // Read-your-writes on the node that acknowledged it.
        Assert.Equal([shop.SessionId("s-1")], await ClusterNodes.OnlineSessionsAsync(a.Storefront(), shop.Tag!));
        await Eventually.TrueAsync(async () => (await ClusterNodes.OnlineSessionsAsync(b.Storefront(), shop.Tag!)).Contains(shop.SessionId("s-1")),
            "node B's GET /api/online lists the session that logged in through node A");
    }

    [Fact]
    public async Task Hub_on_one_node_sends_the_diff_of_an_event_posted_on_the_other()
    {
        await using var cluster = await ClusterNodes.CreateAsync(postgres);
        var a = await cluster.StartAsync("a");
        var b = await cluster.StartAsync("b");
        var shop = StorefrontEvents.Tagged();
        var customerId = StorefrontEvents.NewCustomerId();
        await using var onB = await PresenceSubscriber.ConnectAsync(b.BaseAddress, HubCredentials.ApiKeyHeader());
        await onB.SubscribeAsync();
        var diffs = onB.View.Diffs;

        var posted = await a.Storefront().PostEventAsync(shop.Login("s-1", customerId));

        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        var key = StorefrontEvents.CustomerKey(customerId);
        await onB.View.WaitUntilAsync(view => view.Has(key), what: "node B's hub has the customer who logged in through node A");
        Assert.True(onB.View.Diffs > diffs);
        Assert.Equal(shop.SessionId("s-1"), onB.View.Row(key).SessionId);
    }

    [Fact]
    public async Task Concurrent_writers_on_three_nodes_leave_every_node_with_every_event_applied_once()
    {
        await using var cluster = await ClusterNodes.CreateAsync(postgres);
        TestApp[] nodes = [await cluster.StartAsync("a"), await cluster.StartAsync("b"), await cluster.StartAsync("c")];
        var shop = StorefrontEvents.Tagged();
        const int perNode = 40;

        // Every node adds its own SKUs (one unit each) to one shared cart, while the same event ids reach all three nodes.
        var posts = nodes.Select((node, n) => Task.Run(async () =>
        {
            var client = node.Storefront();
            var statuses = new List<HttpStatusCode>();
            for (var i = 0; i < perNode; i++)
            {
                var batch = new[]
                {
                    shop.CartAdd("s-shared", sku: $"n{n}-{i}"),
                    shop.CartAdd("s-shared", sku: $"dup-{i}", eventId: $"{shop.Tag}-dup-{i}"),
                };
                statuses.Add((await client.PostAsJsonAsync("/api/activity", batch)).StatusCode);
            }

            return statuses;
        })).ToList();
        var answered = (await Task.WhenAll(posts)).SelectMany(s => s).ToList();

        Assert.Equal(nodes.Length * perNode, answered.Count);
        Assert.All(answered, status => Assert.Equal(HttpStatusCode.Accepted, status));
        var expected = Enumerable.Range(0, nodes.Length).SelectMany(n => Enumerable.Range(0, perNode).Select(i => $"n{n}-{i}"))
            .Concat(Enumerable.Range(0, perNode).Select(i => $"dup-{i}")).Order(StringComparer.Ordinal).ToList();
        await using var log = new NpgsqlConnection(cluster.ConnectionString);
        await log.OpenAsync();
        await using var last = new NpgsqlCommand("""SELECT MAX("Sequence") FROM "ActivityEvents" """, log);
        var lastSequence = (long)(await last.ExecuteScalarAsync())!;
        foreach (var node in nodes)
        {
            var tracker = node.Services.GetRequiredService<PresenceTracker>();
            await Eventually.TrueAsync(() => tracker.AppliedSequence >= lastSequence, "every node has applied the whole log");
            var cart = tracker.GetCart(null, shop.SessionId("s-shared"));
            // A skipped event would miss a line, an event applied twice would count 2, a duplicate id taken twice too.
            Assert.Equal(expected, cart.Select(line => line.Sku).ToList());
            Assert.All(cart, line => Assert.Equal(1, line.Qty));
        }
    }

    [Fact]
    public async Task Restarted_node_catches_up_from_the_checkpoint_and_the_log_after_it()
    {
        await using var cluster = await ClusterNodes.CreateAsync(postgres);
        var a = await cluster.StartAsync("a");
        var b = await cluster.StartAsync("b");
        var shop = StorefrontEvents.Tagged();
        for (var i = 0; i < 20; i++)
            Assert.Equal(HttpStatusCode.Accepted, (await a.Storefront().PostEventAsync(shop.CartAdd($"before-{i}"))).StatusCode);
        // Whichever node writes the checkpoint writes it now; the other one does nothing.
        await a.Services.GetRequiredService<IActivityIngestor>().CheckpointAsync();
        await b.Services.GetRequiredService<IActivityIngestor>().CheckpointAsync();
        var checkpoint = await CheckpointSequenceAsync(cluster);
        Assert.True(checkpoint > 0, "a checkpoint was written");

        await b.StopAsync();
        for (var i = 0; i < 5; i++)
            Assert.Equal(HttpStatusCode.Accepted, (await a.Storefront().PostEventAsync(shop.CartAdd($"after-{i}"))).StatusCode);
        await b.StartAsync();

        var catchUp = b.Services.GetRequiredService<ClusterStart>().CatchUp!;
        Assert.True(catchUp.CheckpointSequence >= checkpoint, $"started from checkpoint {catchUp.CheckpointSequence}, not from 0");
        Assert.True(catchUp.ReplayedEvents < 25, $"replayed {catchUp.ReplayedEvents} events, not the whole history");
        var online = await ClusterNodes.OnlineSessionsAsync(b.Storefront(), shop.Tag!);
        Assert.Equal(25, online.Count);
        Assert.Contains(shop.SessionId("before-0"), online);
        Assert.Contains(shop.SessionId("after-4"), online);
    }

    [Fact]
    public async Task Another_node_takes_over_the_checkpoint_when_its_writer_leaves()
    {
        await using var cluster = await ClusterNodes.CreateAsync(postgres);
        var a = await cluster.StartAsync("a");
        var leaderOnA = a.Services.GetRequiredService<CheckpointLeader>();
        await Eventually.TrueAsync(() => leaderOnA.IsLeader, "node A, alone, writes the checkpoint");
        var b = await cluster.StartAsync("b");
        var leaderOnB = b.Services.GetRequiredService<CheckpointLeader>();
        Assert.False(leaderOnB.IsLeader);

        await a.StopAsync();
        var shop = StorefrontEvents.Tagged();
        Assert.Equal(HttpStatusCode.Accepted, (await b.Storefront().PostEventAsync(shop.CartAdd("s-1"))).StatusCode);
        var posted = b.Services.GetRequiredService<PresenceTracker>().AppliedSequence;

        await Eventually.TrueAsync(() => leaderOnB.IsLeader, "node B writes the checkpoint once node A has left");
        await Eventually.TrueAsync(async () => await CheckpointSequenceAsync(cluster) >= posted,
            "the checkpoint covers the event posted after node A left");
    }

    private static async Task<long> CheckpointSequenceAsync(ClusterNodes cluster)
    {
        await using var connection = new NpgsqlConnection(cluster.ConnectionString);
        await connection.OpenAsync();
        await using var read = new NpgsqlCommand("""SELECT COALESCE(MAX("Sequence"), 0) FROM "Checkpoints" """, connection);
        return (long)(await read.ExecuteScalarAsync())!;
    }
}
