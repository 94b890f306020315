using System.Net;
using Xunit.Abstractions;
using NowOnline.Tests.Support;

namespace NowOnline.Tests.Hubs;

/// <summary>Many subscribers and a burst of events: everyone gets every change, in order, with bounded work per connection.</summary>
[Collection(LoadCollection.Name)]
public sealed class PresenceHubLoadTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Subscribers = 200;
    private const int Events = 5000;
    private TestApp _app = default!;
    private readonly List<PresenceSubscriber> _clients = [];

    public async Task InitializeAsync() => _app = await TestApp.StartAsync();

    public async Task DisposeAsync()
    {
        await Task.WhenAll(_clients.Select(c => c.DisposeAsync().AsTask()));
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task Two_hundred_subscribers_all_receive_a_burst_of_five_thousand_events()
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, Subscribers), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (_, _) =>
        {
            // The server is as busy as the 200 clients: let a client wait as long as the test does for the server's next message.
            var client = await PresenceSubscriber.ConnectAsync(_app.BaseAddress, HubCredentials.ApiKeyHeader(), keepRowDetails: false,
                serverTimeout: TimeSpan.FromMinutes(3));
            lock (_clients) _clients.Add(client);
            await client.SubscribeAsync();
        });

        var connected = watch.Elapsed;
        using var storefront = _app.Storefront();
        // The 200 clients share this process's CPU with the server: allow a generous time per batch.
        storefront.Timeout = TimeSpan.FromMinutes(3);
        var shop = StorefrontEvents.Untagged();
        foreach (var batch in Enumerable.Range(0, Events).Select(i => shop.CartAdd($"s-{i}")).Chunk(1000))
            Assert.Equal(HttpStatusCode.Accepted, (await storefront.PostEventAsync(batch)).StatusCode);

        var posted = watch.Elapsed;
        await Task.WhenAll(_clients.Select(c => c.View.WaitUntilAsync(v => v.Count == Events, TimeSpan.FromMinutes(3), "every row")));
        // Figures for the report, not assertions: speed lives in bench/.
        output.WriteLine($"connect+subscribe {connected.TotalSeconds:F1}s, post {(posted - connected).TotalSeconds:F1}s, " +
            $"all delivered {(watch.Elapsed - posted).TotalSeconds:F1}s after the last 202; diffs per client " +
            $"{_clients.Min(c => c.View.Diffs)}..{_clients.Max(c => c.View.Diffs)}");

        Assert.All(_clients, c =>
        {
            Assert.Empty(c.View.Problems);
            Assert.Equal(1, c.View.States);
            // Coalesced: far fewer messages than events, and each row arrives once per Diff that carries it.
            Assert.InRange(c.View.Diffs, 1, Events / 10);
            Assert.Equal(Events, c.View.UpsertedKeys.Distinct().Count());
        });
    }
}

/// <summary>Load tests run alone, after the others, so they neither slow other tests down nor are slowed by them.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LoadCollection
{
    public const string Name = "Load";
}
