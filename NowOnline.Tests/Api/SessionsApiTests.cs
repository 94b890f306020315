using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using NowOnline.Core.Presence;
using NowOnline.Core.SessionData;
using NowOnline.Tests.Support;

namespace NowOnline.Tests.Api;

/// <summary>
/// /api/sessions/{id} and /api/sessions/{id}/data on the real app with a fake clock: liveness for the storefront, and the
/// shopper's unsaved data expiring Customer Data Lifetime after its last write.
/// </summary>
public sealed class SessionsApiTests(SharedApp shared) : IClassFixture<SharedApp>, IAsyncLifetime
{
    private readonly FakeClock _clock = new(DateTimeOffset.UtcNow);
    private readonly StorefrontEvents _shop = StorefrontEvents.Untagged();
    private TestApp _app = shared.App;
    private TestApp? _own;
    private HttpClient _storefront = shared.App.Storefront();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_own is not null) await _own.DisposeAsync();
    }

    /// <summary>
    /// A test that moves the clock, restarts or stores data starts an app of its own on <see cref="_clock"/>; the
    /// refusals, which store nothing, share the class's app.
    /// </summary>
    private async Task OwnAppAsync()
    {
        _own = await TestApp.StartAsync(clock: _clock);
        _app = _own;
        _storefront = _app.Storefront();
    }

    private static StringContent Json(string json) => new(json, new MediaTypeHeaderValue("application/json"));

    private Task<HttpResponseMessage> PutDataAsync(string sessionId, string json) =>
        _storefront.PutAsync($"/api/sessions/{Uri.EscapeDataString(sessionId)}/data", Json(json));

    private static async Task<JsonElement> BodyAsync(HttpResponseMessage response) => await response.Content.ReadFromJsonAsync<JsonElement>();

    [Fact]
    public async Task Online_session_says_its_type_and_when_it_expires()
    {
        await OwnAppAsync();
        var loginAt = _clock.GetUtcNow();
        await _storefront.PostEventAsync(_shop.Login("s-1", 42));

        var status = await _storefront.GetFromJsonAsync<JsonElement>("/api/sessions/s-1");

        Assert.True(status.GetProperty("online").GetBoolean());
        Assert.Equal("Customer", status.GetProperty("type").GetString());
        Assert.Equal(loginAt.AddMinutes(15).ToUnixTimeMilliseconds(), status.GetProperty("expiresAt").GetDateTimeOffset().ToUnixTimeMilliseconds());
    }

    [Fact]
    public async Task Session_idle_for_the_interval_is_reported_offline_so_the_shopper_logs_in_again()
    {
        await OwnAppAsync();
        await _storefront.PostEventAsync(_shop.Login("s-1", 42));

        _clock.Advance(TimeSpan.FromMinutes(15));
        var status = await _storefront.GetFromJsonAsync<JsonElement>("/api/sessions/s-1");

        Assert.False(status.GetProperty("online").GetBoolean());
        Assert.Equal("Visitor", status.GetProperty("type").GetString());
    }

    [Fact]
    public async Task Unknown_session_is_404()
    {
        var response = await _storefront.GetAsync("/api/sessions/never-seen");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("never-seen", (await BodyAsync(response)).GetProperty("sessionId").GetString());
    }

    [Theory]
    [InlineData("/api/sessions/s-1")]
    [InlineData("/api/sessions/s-1/data")]
    public async Task Sessions_need_the_storefront_key(string path)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await _app.Anonymous().GetAsync(path)).StatusCode);
        var wrongKey = _app.Anonymous();
        wrongKey.DefaultRequestHeaders.Add("X-Api-Key", "wrong");
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrongKey.GetAsync(path)).StatusCode);
    }

    [Theory]
    [InlineData("s%201")]
    [InlineData("s%0A1")]
    [InlineData("%20")]
    public async Task Bad_session_id_is_refused_with_a_message(string escapedId)
    {
        var response = await _storefront.GetAsync($"/api/sessions/{escapedId}/data");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await BodyAsync(response)).GetProperty("errors").TryGetProperty("sessionId", out _));
    }

    [Fact]
    public async Task Overlong_session_id_is_refused()
    {
        var response = await PutDataAsync(new string('a', 129), "{}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("129", (await BodyAsync(response)).GetProperty("errors").GetProperty("sessionId")[0].GetString());
    }

    [Fact]
    public async Task Data_round_trips_with_its_expiry()
    {
        await OwnAppAsync();
        const string draft = """{"checkout":{"street":"12 Analytical Row","notes":"ring twice <b>"},"step":2,"gift":true}""";

        var put = await PutDataAsync("s-1", draft);
        var get = await _storefront.GetAsync("/api/sessions/s-1/data");

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var body = await BodyAsync(get);
        Assert.Equal(JsonSerializer.Serialize(JsonDocument.Parse(draft).RootElement), JsonSerializer.Serialize(body.GetProperty("data")));
        Assert.Equal(_clock.GetUtcNow().AddMinutes(60).ToUnixTimeMilliseconds(), body.GetProperty("expiresAt").GetDateTimeOffset().ToUnixTimeMilliseconds());
        Assert.Equal((await BodyAsync(put)).GetProperty("expiresAt").GetDateTimeOffset(), body.GetProperty("expiresAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task Data_is_404_once_the_lifetime_has_passed_even_before_the_purge_and_the_cart_is_kept()
    {
        await OwnAppAsync();
        await _storefront.PostEventAsync(_shop.CartAdd("s-1", qty: 2));
        await PutDataAsync("s-1", """{"draft":"x"}""");
        var store = _app.Services.GetRequiredService<SessionDataStore>();

        _clock.Advance(TimeSpan.FromMinutes(59));
        Assert.Equal(HttpStatusCode.OK, (await _storefront.GetAsync("/api/sessions/s-1/data")).StatusCode);
        _clock.Advance(TimeSpan.FromMinutes(1));
        var expired = await _storefront.GetAsync("/api/sessions/s-1/data");

        Assert.Equal(HttpStatusCode.NotFound, expired.StatusCode);
        Assert.Equal(1, await store.CountStoredAsync());
        Assert.Equal(1, await store.PurgeExpiredAsync(100));
        Assert.Equal(0, await store.CountStoredAsync());
        var cart = _app.Services.GetRequiredService<PresenceTracker>().GetCart(null, "s-1");
        Assert.Equal(("WB-01", 2), (Assert.Single(cart).Sku, cart[0].Qty));
    }

    [Fact]
    public async Task Data_follows_the_customer_data_lifetime_setting()
    {
        await OwnAppAsync();
        var admin = await SettingsApiTests.AdminAsync(_app);
        await admin.PutAsync("/api/settings", Json("""{"customerDataLifetime": 5, "version": 0}"""));

        var put = await BodyAsync(await PutDataAsync("s-1", "{}"));
        _clock.Advance(TimeSpan.FromMinutes(5));

        Assert.Equal(_clock.GetUtcNow().ToUnixTimeMilliseconds(), put.GetProperty("expiresAt").GetDateTimeOffset().ToUnixTimeMilliseconds());
        Assert.Equal(HttpStatusCode.NotFound, (await _storefront.GetAsync("/api/sessions/s-1/data")).StatusCode);
    }

    [Fact]
    public async Task Data_survives_a_restart()
    {
        await OwnAppAsync();
        await PutDataAsync("s-1", """{"draft":"kept"}""");

        await _app.RestartAsync();

        var body = await _app.Storefront().GetFromJsonAsync<JsonElement>("/api/sessions/s-1/data");
        Assert.Equal("kept", body.GetProperty("data").GetProperty("draft").GetString());
    }

    [Fact]
    public async Task No_data_is_404_and_delete_forgets_it()
    {
        await OwnAppAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await _storefront.GetAsync("/api/sessions/s-1/data")).StatusCode);
        await PutDataAsync("s-1", "{}");

        Assert.Equal(HttpStatusCode.NoContent, (await _storefront.DeleteAsync("/api/sessions/s-1/data")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _storefront.GetAsync("/api/sessions/s-1/data")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _storefront.DeleteAsync("/api/sessions/s-1/data")).StatusCode);
    }

    [Theory]
    [InlineData("[1,2]", "JSON object")]
    [InlineData("\"text\"", "JSON object")]
    [InlineData("null", "JSON object")]
    [InlineData("{\"a\":", "not valid JSON")]
    [InlineData("{'a':1}", "not valid JSON")]
    [InlineData("", "empty")]
    public async Task Data_that_is_not_a_json_object_is_refused_and_nothing_is_stored(string body, string problem)
    {
        await PutDataAsync("s-1", """{"before":true}""");

        var response = await PutDataAsync("s-1", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(problem, (await BodyAsync(response)).GetProperty("errors").GetProperty("body")[0].GetString());
        var kept = await _storefront.GetFromJsonAsync<JsonElement>("/api/sessions/s-1/data");
        Assert.True(kept.GetProperty("data").GetProperty("before").GetBoolean());
    }

    [Fact]
    public async Task Deeply_nested_data_is_refused()
    {
        var deep = string.Concat(Enumerable.Repeat("{\"a\":", 40)) + "1" + new string('}', 40);

        var response = await PutDataAsync("s-1", deep);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Data_up_to_64_kb_is_kept_and_larger_is_refused_with_413()
    {
        await OwnAppAsync();
        var filler = new string('x', 64 * 1024 - """{"f":""}""".Length);
        var largest = $$"""{"f":"{{filler}}"}""";
        var tooLarge = $$"""{"f":"{{filler}}x"}""";

        var accepted = await PutDataAsync("s-1", largest);
        var refused = await PutDataAsync("s-2", tooLarge);

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, refused.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _storefront.GetAsync("/api/sessions/s-2/data")).StatusCode);
    }

    [Fact]
    public async Task Chunked_body_over_the_limit_is_refused_with_413()
    {
        var content = new StreamContent(new MemoryStream(System.Text.Encoding.UTF8.GetBytes($$"""{"f":"{{new string('x', 70_000)}}"}""")));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var request = new HttpRequestMessage(HttpMethod.Put, "/api/sessions/s-1/data") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        var response = await _storefront.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Data_sent_as_form_is_refused_with_415()
    {
        var response = await _storefront.PutAsync("/api/sessions/s-1/data", new StringContent("a=1"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }
}
