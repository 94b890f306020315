using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using NowOnline.Core.Presence;
using NowOnline.Tests.Support;

namespace NowOnline.Tests.Ingestion;

/// <summary>
/// The tracker keeps only as many recent event ids as its share of the memory budget holds; an id pushed out is still a
/// duplicate, answered by the writer's filter and the durable event-id index, and changes nothing, also after a restart
/// (the filter is filled from the log again).
/// </summary>
public sealed class EventIdBudgetTests
{
    private static object CartAdd(string eventId, string session) =>
        new { eventId, type = "cart_add", sessionId = session, item = new { sku = "WB-01", qty = 1 } };

    private static async Task<JsonElement> ReplyAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task An_event_id_pushed_out_of_the_trackers_budget_is_still_a_duplicate_before_and_after_a_restart()
    {
        // The tracker's eighth of 1 MB holds 819 ids: 14 batches of 100 push the first ones out.
        await using var app = await TestApp.StartAsync(new Dictionary<string, string?> { ["Presence:EventIdMemoryBudgetMegabytes"] = "1" });
        var tracker = app.Services.GetRequiredService<PresenceTracker>();
        var capacity = EventIdWindow.CapacityFor(1);
        var batches = (capacity + 99) / 100 + 5;
        for (var b = 0; b < batches; b++)
            await ReplyAsync(await app.Storefront().PostEventAsync(Enumerable.Range(0, 100).Select(i => CartAdd($"e-{b}-{i}", $"v-{b}")).ToArray()));
        Assert.Equal([false, true], tracker.KnownEvents(["e-0-0", $"e-{batches - 1}-99"])); // the first id left the tracker's window

        var again = await ReplyAsync(await app.Storefront().PostEventAsync(new[] { CartAdd("e-0-0", "v-0"), CartAdd("e-new", "v-0") }));

        Assert.Equal((1, 1), (again.GetProperty("accepted").GetInt32(), again.GetProperty("duplicates").GetInt32()));
        Assert.Equal([("WB-01", 101)], tracker.GetCart(null, "v-0").Select(l => (l.Sku, l.Qty)));

        await app.RestartAsync();
        var afterRestart = await ReplyAsync(await app.Storefront().PostEventAsync(new[] { CartAdd("e-0-1", "v-0") }));

        Assert.Equal((0, 1), (afterRestart.GetProperty("accepted").GetInt32(), afterRestart.GetProperty("duplicates").GetInt32()));
        Assert.Equal([("WB-01", 101)], app.Services.GetRequiredService<PresenceTracker>().GetCart(null, "v-0").Select(l => (l.Sku, l.Qty)));
    }

    [Fact]
    public async Task Every_repeated_id_of_many_batches_is_a_duplicate_and_changes_nothing()
    {
        await using var app = await TestApp.StartAsync(new Dictionary<string, string?> { ["Presence:EventIdMemoryBudgetMegabytes"] = "1" });
        var tracker = app.Services.GetRequiredService<PresenceTracker>();
        for (var b = 0; b < 20; b++)
            await ReplyAsync(await app.Storefront().PostEventAsync(Enumerable.Range(0, 100).Select(i => CartAdd($"r-{b}-{i}", $"r-{i}")).ToArray()));

        // Every id again, new ones mixed in: only the new ones count.
        for (var b = 0; b < 20; b++)
        {
            var reply = await ReplyAsync(await app.Storefront().PostEventAsync(Enumerable.Range(0, 100)
                .Select(i => CartAdd($"r-{b}-{i}", $"r-{i}")).Append(CartAdd($"r-new-{b}", "r-0")).ToArray()));
            Assert.Equal((1, 100), (reply.GetProperty("accepted").GetInt32(), reply.GetProperty("duplicates").GetInt32()));
        }

        Assert.Equal(20, tracker.GetCart(null, "r-1").Single().Qty);
        Assert.Equal(40, tracker.GetCart(null, "r-0").Single().Qty);
    }
}
