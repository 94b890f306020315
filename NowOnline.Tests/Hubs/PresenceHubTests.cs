using System.Net;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using NowOnline.Core.Settings;
using NowOnline.Tests.Support;

namespace NowOnline.Tests.Hubs;

/// <summary>
/// /hubs/presence against the real app on Kestrel, through the official SignalR .NET client. The app is shared with
/// the other hub tests: each test subscribes with its own tag as the search, so it sees only its own rows.
/// </summary>
[Collection(SharedHubApp.Name)]
public sealed class PresenceHubTests(SharedApp shared) : IAsyncLifetime
{
    private readonly TestApp _app = shared.App;
    private readonly StorefrontEvents _shop = StorefrontEvents.Tagged();
    private readonly long _ada = StorefrontEvents.NewCustomerId();
    private readonly long _grace = StorefrontEvents.NewCustomerId();
    private readonly List<PresenceSubscriber> _clients = [];
    private HttpClient _storefront = default!;

    public Task InitializeAsync()
    {
        _storefront = _app.Storefront();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        foreach (var client in _clients) await client.DisposeAsync();
        _storefront.Dispose();
    }

    private string Ada => StorefrontEvents.CustomerKey(_ada);

    private string Grace => StorefrontEvents.CustomerKey(_grace);

    private async Task<PresenceSubscriber> ConnectedAsync(HttpTransportType transport = HttpTransportType.WebSockets)
    {
        var client = await PresenceSubscriber.ConnectAsync(_app.BaseAddress, HubCredentials.ApiKeyHeader(), transport);
        _clients.Add(client);
        return client;
    }

    /// <summary>Subscribes to this test's own rows (its tag as the search), with further filter fields if given.</summary>
    private async Task<PresenceSubscriber> SubscribedAsync(string? type = null, string? lastUrl = null,
        HttpTransportType transport = HttpTransportType.WebSockets)
    {
        var client = await ConnectedAsync(transport);
        await client.SubscribeAsync(OwnRows(type, lastUrl));
        return client;
    }

    private Dictionary<string, string> OwnRows(string? type = null, string? lastUrl = null)
    {
        var filter = new Dictionary<string, string> { ["search"] = _shop.Tag! };
        if (type is not null) filter["type"] = type;
        if (lastUrl is not null) filter["lastUrl"] = lastUrl;
        return filter;
    }

    private async Task PostAsync(params ActivityBody[] events)
    {
        var response = await _storefront.PostEventAsync(events);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Theory]
    [InlineData(HttpTransportType.WebSockets)]
    [InlineData(HttpTransportType.LongPolling)]
    public async Task Subscriber_receives_the_online_list_then_a_diff_when_a_customer_logs_in(HttpTransportType transport)
    {
        await PostAsync(_shop.CartAdd("s-visitor"));

        var client = await SubscribedAsync(transport: transport);
        await PostAsync(_shop.Login("s-1", _ada));

        await client.View.WaitUntilAsync(v => v.Has(Ada), what: "the customer's row");
        Assert.Equal(1, client.View.States);
        Assert.Equal(new[] { Ada, _shop.VisitorKey("s-visitor") }.Order(), client.View.Keys.Order());
        var row = client.View.Row(Ada);
        Assert.Equal((_shop.SessionId("s-1"), _ada, "Ada", "Customer", "default"), (row.SessionId, row.Id!.Value, row.FirstName, row.Type, row.Store));
        Assert.Equal([1L, 2L], client.View.Versions);
        Assert.Empty(client.View.Problems);
    }

    [Fact]
    public async Task State_lists_every_online_row_when_subscribing_without_a_filter()
    {
        await PostAsync(_shop.Login("s-1", _ada), _shop.Login("s-2", _grace, firstName: "Grace"), _shop.CartAdd("s-3"));

        var client = await ConnectedAsync();
        await client.SubscribeAsync();

        // Other tests' rows may be online in this shared app too: every one of this test's rows must be in the State.
        Assert.Superset(new HashSet<string> { Ada, Grace, _shop.VisitorKey("s-3") }, client.View.Keys.ToHashSet());
        Assert.Equal([1L], client.View.Versions);
    }

    [Theory]
    [InlineData(HttpTransportType.WebSockets)]
    [InlineData(HttpTransportType.LongPolling)]
    public async Task Cart_change_and_logout_arrive_as_diffs(HttpTransportType transport)
    {
        await PostAsync(_shop.Login("s-1", _ada));
        var client = await SubscribedAsync(transport: transport);

        await PostAsync(_shop.CartAdd("s-1", url: "https://shop.example/checkout/cart"));
        await client.View.WaitUntilAsync(v => v.Row(Ada).LastUrl == "https://shop.example/checkout/cart", what: "the cart change");

        await PostAsync(_shop.Logout("s-1"));
        await client.View.WaitUntilAsync(v => !v.Has(Ada) && v.Has(_shop.VisitorKey("s-1")), what: "the logout");

        Assert.Equal("Visitor", client.View.Row(_shop.VisitorKey("s-1")).Type);
        Assert.Contains(Ada, client.View.Removals);
        Assert.Empty(client.View.Problems);
    }

    [Fact]
    public async Task Expired_session_is_sent_as_a_removal()
    {
        // Online under the default 15 minute interval, however slow the machine; a 5 minute interval then makes it overdue.
        await PostAsync(_shop.Login("s-1", _ada, occurredAt: DateTimeOffset.UtcNow - TimeSpan.FromMinutes(10)));
        var client = await SubscribedAsync();
        Assert.True(client.View.Has(Ada));
        var settings = _app.Services.GetRequiredService<SettingsService>();
        var before = settings.Current;
        try
        {
            var shorter = await settings.SaveAsync(before.Settings with { OnlineMinutesInterval = 5 }, before.Version, "test");
            Assert.Equal(SettingsSaveOutcome.Saved, shorter.Outcome);

            await client.View.WaitUntilAsync(v => !v.Has(Ada), what: "the expiry");
        }
        finally
        {
            // The app is shared with the other hub tests (one at a time): they expect the default interval.
            await settings.SaveAsync(before.Settings, settings.Current.Version, "test");
        }

        Assert.Equal([Ada], client.View.Removals);
        Assert.Empty(client.View.Problems);
    }

    [Fact]
    public async Task Filter_that_excludes_visitors_receives_no_visitor_rows()
    {
        await PostAsync(_shop.CartAdd("s-early"));
        var customers = await SubscribedAsync(type: "Customer");
        var everyone = await SubscribedAsync();

        await PostAsync(_shop.CartAdd("s-v1"), _shop.Login("s-1", _ada), _shop.CartAdd("s-v2"));
        await PostAsync(_shop.Logout("s-1"));
        await PostAsync(_shop.Login("s-2", _grace));
        await everyone.View.WaitUntilAsync(v => v.Has(Grace) && v.Has(_shop.VisitorKey("s-1")), what: "every change");
        await customers.View.WaitUntilAsync(v => v.Has(Grace), what: "the second customer");

        Assert.Equal(["Customer"], customers.View.TypesSeen);
        Assert.Equal([Grace], customers.View.Keys);
        Assert.DoesNotContain(customers.View.UpsertedKeys, key => key.StartsWith("v:", StringComparison.Ordinal));
        Assert.Empty(customers.View.Problems);
    }

    [Fact]
    public async Task Row_that_stops_matching_the_filter_is_sent_as_a_removal()
    {
        var client = await SubscribedAsync(lastUrl: "checkout");
        await PostAsync(_shop.CartAdd("s-1", url: "https://shop.example/checkout/cart"));
        await client.View.WaitUntilAsync(v => v.Has(_shop.VisitorKey("s-1")), what: "the matching row");

        await PostAsync(_shop.CartAdd("s-1", url: "https://shop.example/sale.html"));
        await client.View.WaitUntilAsync(v => !v.Has(_shop.VisitorKey("s-1")), what: "the row that no longer matches");

        Assert.Equal([_shop.VisitorKey("s-1")], client.View.Removals);
        Assert.Empty(client.View.Problems);
    }

    [Theory]
    [InlineData(HttpTransportType.WebSockets)]
    [InlineData(HttpTransportType.LongPolling)]
    public async Task Versions_have_no_gaps_over_many_diffs(HttpTransportType transport)
    {
        var client = await SubscribedAsync(transport: transport);

        for (var round = 0; round < 10; round++)
        {
            await PostAsync(Enumerable.Range(0, 20).Select(i => _shop.CartAdd($"s-{round}-{i}")).ToArray());
            await client.View.WaitUntilAsync(v => v.Count == (round + 1) * 20, what: $"round {round}");
        }

        var versions = client.View.Versions;
        Assert.True(versions.Count >= 2);
        Assert.Equal(Enumerable.Range(1, versions.Count).Select(v => (long)v), versions);
        Assert.Empty(client.View.Problems);
    }

    [Fact]
    public async Task Subscribing_again_replaces_the_filter_and_starts_from_a_new_state()
    {
        await PostAsync(_shop.Login("s-1", _ada), _shop.CartAdd("s-2"));
        var client = await SubscribedAsync(type: "Visitor");
        Assert.Equal([_shop.VisitorKey("s-2")], client.View.Keys);

        await client.SubscribeAsync(OwnRows(type: "Customer"));
        await PostAsync(_shop.CartAdd("s-3"), _shop.Login("s-4", _grace));
        await client.View.WaitUntilAsync(v => v.Has(Grace), what: "the second customer");

        Assert.Equal(new[] { Ada, Grace }.Order(), client.View.Keys.Order());
        Assert.Equal(2, client.View.States);
        Assert.Empty(client.View.Problems);
    }

    [Theory]
    [InlineData(HttpTransportType.WebSockets)]
    [InlineData(HttpTransportType.LongPolling)]
    public async Task Unsubscribed_connection_receives_nothing_more(HttpTransportType transport)
    {
        var client = await SubscribedAsync(transport: transport);
        var watcher = await SubscribedAsync(transport: transport);

        await client.UnsubscribeAsync();
        await PostAsync(_shop.Login("s-1", _ada));
        await watcher.View.WaitUntilAsync(v => v.Has(Ada), what: "the login at another subscriber");
        // A later change reaching the watcher proves the relay had a further flush in which to (wrongly) send to the client.
        await PostAsync(_shop.CartAdd("s-later"));
        await watcher.View.WaitUntilAsync(v => v.Has(_shop.VisitorKey("s-later")), what: "a later change at the watcher");

        Assert.Equal(0, client.View.Diffs);
        Assert.False(client.View.Has(Ada));
    }

    [Theory]
    [InlineData("""{"type":"Robot"}""", "type")]
    [InlineData("""{"sort":"id:asc"}""", "sort")]
    [InlineData("""{"idFrom":"forty-two"}""", "idFrom")]
    [InlineData("""{"activityFrom":"yesterday"}""", "activityFrom")]
    [InlineData("""{"search":["a","b"]}""", "search")]
    [InlineData("""{"type":"Customer","TYPE":"Visitor"}""", "more than once")]
    [InlineData("\"Customer\"", "JSON object")]
    [InlineData("42", "JSON object")]
    public async Task Bad_filter_is_refused_with_a_message_naming_it(string filterJson, string named)
    {
        var client = await ConnectedAsync();

        var error = await Assert.ThrowsAsync<HubException>(() =>
            client.SubscribeAsync(System.Text.Json.JsonDocument.Parse(filterJson).RootElement));

        Assert.Contains(named, error.Message);
        Assert.Equal(0, client.View.States);
    }

    [Fact]
    public async Task Huge_and_hostile_filter_values_are_refused_and_the_connection_stays_usable()
    {
        var client = await ConnectedAsync();

        var huge = await Assert.ThrowsAsync<HubException>(() => client.SubscribeAsync(new { search = new string('x', 5000) }));
        var control = await Assert.ThrowsAsync<HubException>(() => client.SubscribeAsync(new { store = "de\u0000fault" }));
        await client.SubscribeAsync(new { search = "<script>alert(1)</script>' OR 1=1 --" });

        Assert.Contains("longer than 255", huge.Message);
        Assert.Contains("control characters", control.Message);
        Assert.Equal(1, client.View.States);
        Assert.Empty(client.View.Keys);
    }
}

/// <summary>The relay forgets a closed connection: counted on an app of its own, where no other test connects.</summary>
public sealed class PresenceHubDisconnectTests : IAsyncLifetime
{
    private TestApp _app = default!;

    public async Task InitializeAsync() => _app = await TestApp.StartAsync();

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Closing_the_connection_removes_its_subscription()
    {
        var relay = _app.Services.GetRequiredService<NowOnline.Web.Hubs.PresenceRelay>();
        var client = await PresenceSubscriber.ConnectAsync(_app.BaseAddress, HubCredentials.ApiKeyHeader());
        await client.SubscribeAsync();
        Assert.Equal(1, relay.ConnectionCount);

        await client.DisposeAsync();

        await Eventually.TrueAsync(() => relay.ConnectionCount == 0, "the relay forgot the closed connection", seconds: 10);
        var shop = StorefrontEvents.Untagged();
        using var storefront = _app.Storefront();
        Assert.Equal(HttpStatusCode.Accepted, (await storefront.PostEventAsync(shop.Login("s-1", 42))).StatusCode); // nothing to deliver to, nothing fails
        Assert.Equal(HttpStatusCode.OK, (await _app.Anonymous().GetAsync("/healthz")).StatusCode);
    }

    [Fact]
    public async Task The_relay_follows_the_tracker_only_while_a_client_is_subscribed_and_a_later_client_still_gets_every_row()
    {
        var tracker = _app.Services.GetRequiredService<NowOnline.Core.Presence.PresenceTracker>();
        var shop = StorefrontEvents.Tagged();
        using var storefront = _app.Storefront();
        Assert.Equal(0, tracker.SubscriberCount); // no hub client: ingestion builds no rows for the hub

        var first = await PresenceSubscriber.ConnectAsync(_app.BaseAddress, HubCredentials.ApiKeyHeader());
        await first.SubscribeAsync();
        var second = await PresenceSubscriber.ConnectAsync(_app.BaseAddress, HubCredentials.ApiKeyHeader());
        await second.SubscribeAsync();
        Assert.Equal(1, tracker.SubscriberCount); // one subscription whatever the number of clients

        await first.DisposeAsync();
        await Eventually.TrueAsync(() => _app.Services.GetRequiredService<NowOnline.Web.Hubs.PresenceRelay>().ConnectionCount == 1,
            "the relay forgot the first connection", seconds: 10);
        Assert.Equal(1, tracker.SubscriberCount);
        await second.DisposeAsync();
        await Eventually.TrueAsync(() => tracker.SubscriberCount == 0, "the relay let go of the tracker once no client was left", seconds: 10);

        // Rows that arrived while nobody watched are in the next client's State, and its diffs follow.
        Assert.Equal(HttpStatusCode.Accepted, (await storefront.PostEventAsync(shop.CartAdd("s-while-away"))).StatusCode);
        await using var later = await PresenceSubscriber.ConnectAsync(_app.BaseAddress, HubCredentials.ApiKeyHeader());
        await later.SubscribeAsync(new Dictionary<string, string> { ["search"] = shop.Tag! });
        Assert.Equal([shop.VisitorKey("s-while-away")], later.View.Keys);
        Assert.Equal(HttpStatusCode.Accepted, (await storefront.PostEventAsync(shop.Login("s-after", 43))).StatusCode);
        await later.View.WaitUntilAsync(v => v.Has(StorefrontEvents.CustomerKey(43)), what: "the customer who logged in after");
        Assert.Equal(1, tracker.SubscriberCount);
    }
}
