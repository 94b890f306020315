using System.Net;
using NowOnline.Tests.Support;
using NowOnline.Web.Hubs;

namespace NowOnline.Tests.Hubs;

/// <summary>
/// A client that stops reading must not hold up the others: once its sends back up past
/// <c>PresenceHub:SendTimeoutSeconds</c> the hub closes it, and everyone else keeps receiving every change.
/// Both are the official SignalR client; under the stalled one is a <see cref="StallableWebSocket"/> on a socket with a
/// small fixed receive buffer, so it really stops taking data off the wire.
/// </summary>
[Collection(LoadCollection.Name)]
public sealed class StalledClientTests : IAsyncLifetime
{
    private const int Events = 16_000;
    private TestApp _app = default!;
    private readonly List<PresenceSubscriber> _clients = [];
    private StallableWebSocket? _stalledSocket;

    public async Task InitializeAsync() => _app = await TestApp.StartAsync(new Dictionary<string, string?>
    {
        // The healthy client runs under this limit too: generous enough for a loaded machine. The stalled client never
        // reads again until the test resumes it, so it is cut off whatever the limit.
        ["PresenceHub:SendTimeoutSeconds"] = "10",
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
        var relay = _app.Services.GetRequiredService<PresenceRelay>();
        var healthy = await ConnectAsync();
        // The stalled client must not end the connection itself: its own server timeout is longer than the test.
        var stalled = await ConnectAsync(stall: true);
        await Task.WhenAll(healthy.SubscribeAsync(), stalled.SubscribeAsync());
        Assert.Equal(2, relay.ConnectionCount);
        _stalledSocket!.StopReading();

        // Rows with long URLs: tens of megabytes of diffs, far more than the buffers between server and client.
        using var storefront = _app.Storefront();
        storefront.Timeout = TimeSpan.FromMinutes(2);
        var shop = StorefrontEvents.Untagged();
        var url = "https://shop.example/catalog/" + new string('x', 1900);
        foreach (var batch in Enumerable.Range(0, Events).Select(i => shop.CartAdd($"s-{i}", url: $"{url}?n={i}")).Chunk(400))
            Assert.Equal(HttpStatusCode.Accepted, (await storefront.PostEventAsync(batch)).StatusCode);

        await healthy.View.WaitUntilAsync(v => v.Count == Events, TimeSpan.FromMinutes(2), "every row at the healthy client");
        // The server dropped the stalled connection while its client was still holding its handler.
        await Eventually.TrueAsync(() => relay.ConnectionCount == 1, "the hub closed the stalled connection", seconds: 60);
        Assert.False(stalled.Closed.IsCompleted, "the stalled client closed the connection itself");
        _stalledSocket.ResumeReading();
        await stalled.Closed.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Empty(healthy.View.Problems);
        Assert.Null(healthy.View.Ended);
        Assert.True(stalled.View.Count < Events,
            $"the stalled client should have been cut off before it had every row (it has {stalled.View.Count:N0}); {stalled.View.Ended}");
    }

    private async Task<PresenceSubscriber> ConnectAsync(bool stall = false)
    {
        var client = await PresenceSubscriber.ConnectAsync(_app.BaseAddress, HubCredentials.ApiKeyHeader(), keepRowDetails: false,
            configure: stall
                ? options =>
                {
                    options.WebSocketFactory = PresenceSubscriber.WebSocketStatus(
                        new Dictionary<string, string> { ["X-Api-Key"] = TestApp.ApiKey }, receiveBufferBytes: 4096,
                        connected: socket => _stalledSocket = new StallableWebSocket(socket));
                }
                : null,
            serverTimeout: stall ? TimeSpan.FromMinutes(10) : null);
        _clients.Add(client);
        return client;
    }
}
