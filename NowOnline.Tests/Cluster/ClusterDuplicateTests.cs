using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using NowOnline.Core.Presence;
using NowOnline.Tests.Support;

namespace NowOnline.Tests.Cluster;

/// <summary>
/// On several nodes an event id is a duplicate for as long as the log keeps it, not only while the tracker's memory
/// budget holds it: a repeat sent to any node, long after, changes nothing on any node.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ClusterDuplicateTests(PostgresServer postgres)
{
    private static object CartAdd(string eventId, string session) =>
        new { eventId, type = "cart_add", sessionId = session, item = new { sku = "WB-01", qty = 1 } };

    private static async Task<(int Accepted, int Duplicates)> ReplyAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (body.GetProperty("accepted").GetInt32(), body.GetProperty("duplicates").GetInt32());
    }

    [Fact]
    public async Task An_event_id_pushed_out_of_every_trackers_budget_is_still_a_duplicate_on_every_node()
    {
        await using var cluster = await ClusterNodes.CreateAsync(postgres);
        var tiny = new Dictionary<string, string?> { ["Presence:EventIdMemoryBudgetMegabytes"] = "1" };
        var a = await cluster.StartAsync("a", tiny);
        var b = await cluster.StartAsync("b", tiny);
        var session = $"v-{Guid.NewGuid():N}";
        var batches = (EventIdWindow.CapacityFor(1) + 99) / 100 + 5;
        for (var n = 0; n < batches; n++)
            await ReplyAsync(await a.Storefront().PostEventAsync(Enumerable.Range(0, 100).Select(i => CartAdd($"{session}-{n}-{i}", session)).ToArray()));
        var trackerB = b.Services.GetRequiredService<PresenceTracker>();
        await Eventually.TrueAsync(() => trackerB.GetCart(null, session).Sum(l => l.Qty) == batches * 100, "node B applied every event");
        Assert.Equal([false], trackerB.KnownEvents([$"{session}-0-0"])); // the first id left node B's window

        var again = await ReplyAsync(await b.Storefront().PostEventAsync(new[] { CartAdd($"{session}-0-0", session), CartAdd($"{session}-new", session) }));

        Assert.Equal((1, 1), again);
        var expected = batches * 100 + 1;
        await Eventually.TrueAsync(() => a.Services.GetRequiredService<PresenceTracker>().GetCart(null, session).Sum(l => l.Qty) == expected,
            "node A has the new event");
        Assert.Equal(expected, trackerB.GetCart(null, session).Sum(l => l.Qty));
        Assert.Equal(expected, a.Services.GetRequiredService<PresenceTracker>().GetCart(null, session).Sum(l => l.Qty));
    }
}
