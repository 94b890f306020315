using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using NowOnline.Tests.Support;

namespace NowOnline.Tests.Api;

/// <summary>Per-key rate limiting on POST /api/activity, and bot filtering through the API.</summary>
public sealed class RateLimitAndBotTests : IAsyncLifetime
{
    private const string SecondKey = "second-storefront-key";
    private TestApp _app = default!;

    public async Task InitializeAsync() => _app = await TestApp.StartAsync(new Dictionary<string, string?>
    {
        ["Ingestion:ApiKeys:1"] = SecondKey,
        ["Ingestion:RateLimitPermits"] = "3",
        ["Ingestion:RateLimitWindowSeconds"] = "3600",
        ["Presence:IgnoredUserAgents:0"] = "Googlebot",
        ["Presence:IgnoredUserAgents:1"] = "MyCrawler",
    });

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private static ActivityBody CartAdd(string session, string? userAgent = null) =>
        StorefrontEvents.Untagged().CartAdd(session, userAgent: userAgent);

    private async Task<int> OnlineTotalAsync() =>
        (await (await _app.Storefront().GetAsync("/api/online")).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("total").GetInt32();

    [Fact]
    public async Task Key_over_its_limit_gets_429_with_retry_after_and_nothing_is_stored()
    {
        var storefront = _app.Storefront();
        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.Accepted, (await storefront.PostEventAsync(CartAdd($"s-{i}"))).StatusCode);

        var refused = await storefront.PostEventAsync(CartAdd("s-over"));

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        var retryAfter = int.Parse(refused.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 3600);
        Assert.Contains("nothing was stored", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        Assert.Equal(3, await OnlineTotalAsync());
    }

    [Fact]
    public async Task Each_key_has_its_own_limit()
    {
        var storefront = _app.Storefront();
        for (var i = 0; i < 4; i++) await storefront.PostEventAsync(CartAdd($"s-{i}"));
        using var second = _app.Anonymous();
        second.DefaultRequestHeaders.Add("X-Api-Key", SecondKey);

        var response = await second.PostEventAsync(CartAdd("other-key"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(4, await OnlineTotalAsync());
    }

    [Fact]
    public async Task Reading_the_online_list_is_not_counted_against_the_write_limit()
    {
        var storefront = _app.Storefront();
        for (var i = 0; i < 5; i++) Assert.Equal(HttpStatusCode.OK, (await storefront.GetAsync("/api/online")).StatusCode);

        Assert.Equal(HttpStatusCode.Accepted, (await storefront.PostEventAsync(CartAdd("s-1"))).StatusCode);
    }

    [Theory]
    [InlineData("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)")]
    [InlineData("mycrawler/1.0")]
    public async Task Bot_events_are_counted_as_ignored_and_never_listed(string userAgent)
    {
        var response = await _app.Storefront().PostEventAsync(new[] { CartAdd("bot-1", userAgent), CartAdd("human-1", "Mozilla/5.0 (X11; Linux)") });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var reply = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, reply.GetProperty("accepted").GetInt32());
        Assert.Equal(1, reply.GetProperty("ignored").GetInt32());
        var online = await (await _app.Storefront().GetAsync("/api/online")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("human-1", Assert.Single(online.GetProperty("items").EnumerateArray()).GetProperty("sessionId").GetString());
    }
}
