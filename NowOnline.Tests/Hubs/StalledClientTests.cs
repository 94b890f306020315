using System.Net;
using NowOnline.Tests.Support;

namespace NowOnline.Tests.Hubs;

/// <summary>
/// A client that stops reading must not hold up the others: once its sends back up past
/// <c>PresenceHub:SendTimeoutSeconds</c> the hub closes it, and everyone else keeps receiving every change.
/// </summary>
[Collection(LoadCollection.Name)]
public sealed class StalledClientTests : IAsyncLifetime
{
    private const int Events = 16_000;
    private TestApp _app = default!;
    private readonly List<HubTestClient> _clients = [];

    public async Task InitializeAsync() => _app = await TestApp.StartAsync(new Dictionary<string, string?>
    {
        ["PresenceHub:SendTimeoutSeconds"] = "1",
        ["Ingestion:RateLimitPermits"] = "1000000",
    });

    public async Task DisposeAsync()
    {
        foreach (var client in _clients) await client.DisposeAsync();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task A_client_that_stops_reading_is_closed_while_the_others_receive_every_change()
    {
        var healthy = await ConnectAsync();
        var stalled = await ConnectAsync(receiveBufferBytes: 4096);
        await Task.WhenAll(healthy.SubscribeAsync(), stalled.SubscribeAsync());
        stalled.StopReading();

        // Rows with long URLs: tens of megabytes of diffs, far more than the socket buffers between server and client.
        using var storefront = _app.Storefront();
        storefront.Timeout = TimeSpan.FromMinutes(2);
        var url = "https://shop.example/catalog/" + new string('x', 1900);
        foreach (var batch in Enumerable.Range(0, Events).Select(i => StorefrontEvents.CartAdd($"s-{i}", url: $"{url}?n={i}")).Chunk(400))
            Assert.Equal(HttpStatusCode.Accepted, (await storefront.PostEventAsync(batch)).StatusCode);

        await healthy.View.WaitUntilAsync(v => v.Count == Events, TimeSpan.FromMinutes(2), "every row at the healthy client");
        stalled.ResumeReading();
        var closedWith = await stalled.Closed.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Empty(healthy.View.Problems);
        Assert.Null(healthy.View.Ended);
        Assert.True(stalled.View.Count < Events,
            $"the stalled client should have been cut off before it had every row (it has {stalled.View.Count:N0}); closed with {closedWith}");
    }

    private async Task<HubTestClient> ConnectAsync(int? receiveBufferBytes = null)
    {
        var client = await HubTestClient.ConnectAsync(_app.BaseAddress, HubCredentials.ApiKeyHeader(), keepRowDetails: false,
            receiveBufferBytes: receiveBufferBytes);
        _clients.Add(client);
        return client;
    }
}
