using System.Net;
using NowOnline.Tests.Support;

namespace NowOnline.Tests.Hubs;

/// <summary>/hubs/presence against the real app on Kestrel, through a client speaking SignalR's JSON protocol.</summary>
public sealed class PresenceHubTests : IAsyncLifetime
{
    private TestApp _app = default!;
    private HttpClient _storefront = default!;
    private readonly List<HubTestClient> _clients = [];

    public async Task InitializeAsync()
    {
        _app = await TestApp.StartAsync();
        _storefront = _app.Storefront();
    }

    public async Task DisposeAsync()
    {
        foreach (var client in _clients) await client.DisposeAsync();
        await _app.DisposeAsync();
    }

    private async Task<HubTestClient> SubscribedAsync(object? filter = null)
    {
        var client = await HubTestClient.ConnectAsync(_app.BaseAddress, HubCredentials.ApiKeyHeader());
        _clients.Add(client);
        await client.SubscribeAsync(filter);
        return client;
    }

    private async Task PostAsync(params object[] events)
    {
        var response = await _storefront.PostEventAsync(events);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task Subscriber_receives_the_online_list_then_a_diff_when_a_customer_logs_in()
    {
        await PostAsync(StorefrontEvents.CartAdd("s-visitor"));

        var client = await SubscribedAsync();
        await PostAsync(StorefrontEvents.Login("s-1", 42));

        await client.View.WaitUntilAsync(v => v.Has("c:42"), what: "the customer's row");
        Assert.Equal(1, client.View.States);
        Assert.Equal(["c:42", "v:s-visitor"], client.View.Keys.Order());
        var row = client.View.Row("c:42");
        Assert.Equal(("s-1", 42L, "Ada", "Customer", "default"), (row.SessionId, row.Id!.Value, row.FirstName, row.Type, row.Store));
        Assert.Equal([1L, 2L], client.View.Versions);
        Assert.Empty(client.View.Problems);
    }

    [Fact]
    public async Task State_lists_every_online_row_when_subscribing()
    {
        await PostAsync(StorefrontEvents.Login("s-1", 42), StorefrontEvents.Login("s-2", 43), StorefrontEvents.CartAdd("s-3"));

        var client = await SubscribedAsync();

        Assert.Equal(["c:42", "c:43", "v:s-3"], client.View.Keys.Order());
        Assert.Equal([1L], client.View.Versions);
    }

    [Fact]
    public async Task Cart_change_and_logout_arrive_as_diffs()
    {
        await PostAsync(StorefrontEvents.Login("s-1", 42));
        var client = await SubscribedAsync();

        await PostAsync(StorefrontEvents.CartAdd("s-1", url: "https://shop.example/checkout/cart"));
        await client.View.WaitUntilAsync(v => v.Row("c:42").LastUrl == "https://shop.example/checkout/cart", what: "the cart change");

        await PostAsync(StorefrontEvents.Logout("s-1"));
        await client.View.WaitUntilAsync(v => !v.Has("c:42") && v.Has("v:s-1"), what: "the logout");

        Assert.Equal("Visitor", client.View.Row("v:s-1").Type);
        Assert.Contains("c:42", client.View.Removals);
        Assert.Empty(client.View.Problems);
    }

    [Fact]
    public async Task Expired_session_is_sent_as_a_removal()
    {
        // Default interval 15 minutes: a login 14 min 57 s ago expires about three seconds from now.
        var almostExpired = DateTimeOffset.UtcNow - TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(3);
        await PostAsync(StorefrontEvents.Login("s-1", 42, occurredAt: almostExpired));
        var client = await SubscribedAsync();
        Assert.True(client.View.Has("c:42"));

        await client.View.WaitUntilAsync(v => !v.Has("c:42"), TimeSpan.FromSeconds(30), "the expiry");

        Assert.Equal(["c:42"], client.View.Removals);
        Assert.Empty(client.View.Problems);
    }

    [Fact]
    public async Task Filter_that_excludes_visitors_receives_no_visitor_rows()
    {
        await PostAsync(StorefrontEvents.CartAdd("s-early"));
        var customers = await SubscribedAsync(new { type = "Customer" });
        var everyone = await SubscribedAsync();

        await PostAsync(StorefrontEvents.CartAdd("s-v1"), StorefrontEvents.Login("s-1", 42), StorefrontEvents.CartAdd("s-v2"));
        await PostAsync(StorefrontEvents.Logout("s-1"));
        await PostAsync(StorefrontEvents.Login("s-2", 43));
        await everyone.View.WaitUntilAsync(v => v.Has("c:43") && v.Has("v:s-1"), what: "every change");
        await customers.View.WaitUntilAsync(v => v.Has("c:43"), what: "the second customer");

        Assert.Equal(["Customer"], customers.View.TypesSeen);
        Assert.Equal(["c:43"], customers.View.Keys);
        Assert.DoesNotContain(customers.View.UpsertedKeys, key => key.StartsWith("v:", StringComparison.Ordinal));
        Assert.Empty(customers.View.Problems);
    }

    [Fact]
    public async Task Row_that_stops_matching_the_filter_is_sent_as_a_removal()
    {
        var client = await SubscribedAsync(new { lastUrl = "checkout" });
        await PostAsync(StorefrontEvents.CartAdd("s-1", url: "https://shop.example/checkout/cart"));
        await client.View.WaitUntilAsync(v => v.Has("v:s-1"), what: "the matching row");

        await PostAsync(StorefrontEvents.CartAdd("s-1", url: "https://shop.example/sale.html"));
        await client.View.WaitUntilAsync(v => !v.Has("v:s-1"), what: "the row that no longer matches");

        Assert.Equal(["v:s-1"], client.View.Removals);
        Assert.Empty(client.View.Problems);
    }

    [Fact]
    public async Task Versions_have_no_gaps_over_many_diffs()
    {
        var client = await SubscribedAsync();

        for (var round = 0; round < 10; round++)
        {
            await PostAsync(Enumerable.Range(0, 20).Select(i => StorefrontEvents.CartAdd($"s-{round}-{i}")).ToArray());
            await client.View.WaitUntilAsync(v => v.Count == (round + 1) * 20, what: $"round {round}");
        }

        var versions = client.View.Versions;
        Assert.Equal(Enumerable.Range(1, versions.Count).Select(v => (long)v), versions);
        Assert.True(versions.Count >= 2);
        Assert.Empty(client.View.Problems);
    }

    [Fact]
    public async Task Subscribing_again_replaces_the_filter_and_starts_from_a_new_state()
    {
        await PostAsync(StorefrontEvents.Login("s-1", 42), StorefrontEvents.CartAdd("s-2"));
        var client = await SubscribedAsync(new { type = "Visitor" });
        Assert.Equal(["v:s-2"], client.View.Keys);

        await client.SubscribeAsync(new { type = "Customer" });
        await PostAsync(StorefrontEvents.CartAdd("s-3"), StorefrontEvents.Login("s-4", 43));
        await client.View.WaitUntilAsync(v => v.Has("c:43"), what: "the second customer");

        Assert.Equal(["c:42", "c:43"], client.View.Keys.Order());
        Assert.Equal(2, client.View.States);
        Assert.Empty(client.View.Problems);
    }

    [Fact]
    public async Task Unsubscribed_connection_receives_nothing_more()
    {
        var client = await SubscribedAsync();
        var watcher = await SubscribedAsync();

        await client.InvokeAsync("Unsubscribe");
        await PostAsync(StorefrontEvents.Login("s-1", 42));
        await watcher.View.WaitUntilAsync(v => v.Has("c:42"), what: "the login at another subscriber");
        await Task.Delay(TimeSpan.FromMilliseconds(600)); // a few flush intervals

        Assert.Equal(0, client.View.Diffs);
        Assert.False(client.View.Has("c:42"));
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
        var client = await HubTestClient.ConnectAsync(_app.BaseAddress, HubCredentials.ApiKeyHeader());
        _clients.Add(client);

        var error = await Assert.ThrowsAsync<HubInvocationException>(() =>
            client.InvokeAsync("Subscribe", System.Text.Json.JsonDocument.Parse(filterJson).RootElement));

        Assert.Contains(named, error.Message);
        Assert.Equal(0, client.View.States);
    }

    [Fact]
    public async Task Huge_and_hostile_filter_values_are_refused_and_the_connection_stays_usable()
    {
        var client = await HubTestClient.ConnectAsync(_app.BaseAddress, HubCredentials.ApiKeyHeader());
        _clients.Add(client);

        var huge = await Assert.ThrowsAsync<HubInvocationException>(() => client.SubscribeAsync(new { search = new string('x', 5000) }));
        var control = await Assert.ThrowsAsync<HubInvocationException>(() => client.SubscribeAsync(new { store = "de\u0000fault" }));
        await client.SubscribeAsync(new { search = "<script>alert(1)</script>' OR 1=1 --" });

        Assert.Contains("longer than 255", huge.Message);
        Assert.Contains("control characters", control.Message);
        Assert.Equal(1, client.View.States);
        Assert.Empty(client.View.Keys);
    }

    [Fact]
    public async Task Closing_the_connection_removes_its_subscription()
    {
        var relay = _app.Services.GetRequiredService<NowOnline.Web.Hubs.PresenceRelay>();
        var client = await SubscribedAsync();
        Assert.Equal(1, relay.ConnectionCount);

        await client.DisposeAsync();
        _clients.Remove(client);

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (relay.ConnectionCount > 0 && DateTime.UtcNow < deadline) await Task.Delay(50);
        Assert.Equal(0, relay.ConnectionCount);
        await PostAsync(StorefrontEvents.Login("s-1", 42)); // nothing to deliver to, nothing fails
        Assert.Equal(HttpStatusCode.OK, (await _app.Anonymous().GetAsync("/healthz")).StatusCode);
    }
}
