using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using NowOnline.Core.Presence;
using NowOnline.Tests.Support;

namespace NowOnline.Tests.Api;

/// <summary>
/// GET/PUT /api/settings on the real app: validation, optimistic concurrency, audit, and the list following at once.
/// The tests that save nothing share one app of this class (its settings stay the defaults at version 0); a test that
/// saves, and so counts versions from 0, starts an app of its own first (<see cref="OwnAppAsync"/>).
/// </summary>
public sealed class SettingsApiTests(SharedApp shared) : IClassFixture<SharedApp>, IAsyncLifetime
{
    private TestApp _app = shared.App;
    private TestApp? _own;
    private HttpClient _admin = default!;

    public async Task InitializeAsync() => _admin = await AdminAsync(_app);

    public async Task DisposeAsync()
    {
        if (_own is not null) await _own.DisposeAsync();
    }

    private async Task OwnAppAsync()
    {
        _own = await TestApp.StartAsync();
        _app = _own;
        _admin = await AdminAsync(_app);
    }

    internal static Task<HttpClient> AdminAsync(TestApp app) => app.AdminClientAsync();

    private static StringContent Json(string json) => new(json, new MediaTypeHeaderValue("application/json"));

    private async Task<JsonElement> ReadSettingsAsync(HttpClient? client = null)
    {
        var response = await (client ?? _app.Storefront()).GetAsync("/api/settings");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private Task<HttpResponseMessage> PutAsync(string json, string? ifMatch = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, "/api/settings") { Content = Json(json) };
        if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return _admin.SendAsync(request);
    }

    private static async Task<JsonElement> BodyAsync(HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>();

    private async Task<int> HistoryCountAsync() =>
        (await _admin.GetFromJsonAsync<JsonElement>("/api/settings/history")).GetArrayLength();

    [Fact]
    public async Task Storefront_reads_the_defaults_with_their_version_as_etag()
    {
        var response = await _app.Storefront().GetAsync("/api/settings");

        var body = await BodyAsync(response);
        Assert.Equal((15, 60, 0L), (body.GetProperty("onlineMinutesInterval").GetInt32(),
            body.GetProperty("customerDataLifetime").GetInt32(), body.GetProperty("version").GetInt64()));
        Assert.Equal("\"0\"", response.Headers.ETag?.ToString());
    }

    [Fact]
    public async Task Settings_cannot_be_read_without_a_key_or_sign_in()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await _app.Anonymous().GetAsync("/api/settings")).StatusCode);
    }

    [Fact]
    public async Task Signed_in_admin_reads_the_settings_too()
    {
        Assert.Equal(15, (await ReadSettingsAsync(_admin)).GetProperty("onlineMinutesInterval").GetInt32());
    }

    [Fact]
    public async Task Only_a_signed_in_admin_may_change_the_settings_or_read_their_history()
    {
        var body = Json("""{"onlineMinutesInterval": 5, "version": 0}""");

        var storefront = await _app.Storefront().PutAsync("/api/settings", body);
        var anonymous = await _app.Anonymous().PutAsync("/api/settings", body);
        var history = await _app.Storefront().GetAsync("/api/settings/history");

        Assert.Equal(HttpStatusCode.Unauthorized, storefront.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, history.StatusCode);
        Assert.Equal(15, (await ReadSettingsAsync()).GetProperty("onlineMinutesInterval").GetInt32());
    }

    [Fact]
    public async Task Admin_saves_with_if_match_and_everyone_reads_the_new_values()
    {
        await OwnAppAsync();
        var response = await PutAsync("""{"onlineMinutesInterval": 5, "customerDataLifetime": 120}""", ifMatch: "\"0\"");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("\"1\"", response.Headers.ETag?.ToString());
        var read = await ReadSettingsAsync();
        Assert.Equal((5, 120, 1L), (read.GetProperty("onlineMinutesInterval").GetInt32(),
            read.GetProperty("customerDataLifetime").GetInt32(), read.GetProperty("version").GetInt64()));
    }

    [Fact]
    public async Task Version_may_be_sent_in_the_body_and_null_means_the_default()
    {
        await OwnAppAsync();
        await PutAsync("""{"onlineMinutesInterval": 5, "customerDataLifetime": 120, "version": 0}""");

        var response = await PutAsync("""{"onlineMinutesInterval": null, "version": 1}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await BodyAsync(response);
        Assert.Equal((15, 60), (body.GetProperty("onlineMinutesInterval").GetInt32(), body.GetProperty("customerDataLifetime").GetInt32()));
    }

    [Fact]
    public async Task Each_change_is_in_the_history_with_who_when_and_old_and_new_values()
    {
        await OwnAppAsync();
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        await PutAsync("""{"onlineMinutesInterval": 5, "customerDataLifetime": 60, "version": 0}""");
        await PutAsync("""{"onlineMinutesInterval": 5, "customerDataLifetime": 90, "version": 1}""");

        var history = await _admin.GetFromJsonAsync<JsonElement>("/api/settings/history");

        Assert.Equal(2, history.GetArrayLength());
        var latest = history[0];
        Assert.Equal(2, latest.GetProperty("version").GetInt64());
        Assert.Equal((5, 60), (latest.GetProperty("old").GetProperty("onlineMinutesInterval").GetInt32(), latest.GetProperty("old").GetProperty("customerDataLifetime").GetInt32()));
        Assert.Equal((5, 90), (latest.GetProperty("new").GetProperty("onlineMinutesInterval").GetInt32(), latest.GetProperty("new").GetProperty("customerDataLifetime").GetInt32()));
        Assert.InRange(latest.GetProperty("changedAt").GetDateTimeOffset(), before, DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.Equal(TestApp.AdminEmail, latest.GetProperty("changedBy").GetString());
        Assert.Equal(15, history[1].GetProperty("old").GetProperty("onlineMinutesInterval").GetInt32());
    }

    [Fact]
    public async Task Stale_version_gets_409_naming_who_changed_it_and_saves_nothing()
    {
        await OwnAppAsync();
        await PutAsync("""{"onlineMinutesInterval": 5, "version": 0}""");

        var response = await PutAsync("""{"onlineMinutesInterval": 45}""", ifMatch: "\"0\"");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = await BodyAsync(response);
        Assert.Contains("changed by", problem.GetProperty("detail").GetString());
        Assert.Contains("Reload", problem.GetProperty("detail").GetString());
        Assert.Equal(1, problem.GetProperty("currentVersion").GetInt64());
        Assert.Equal(5, (await ReadSettingsAsync()).GetProperty("onlineMinutesInterval").GetInt32());
        Assert.Equal(1, await HistoryCountAsync());
    }

    [Fact]
    public async Task Put_without_any_version_is_refused_with_428()
    {
        var response = await PutAsync("""{"onlineMinutesInterval": 5}""");

        Assert.Equal((HttpStatusCode)428, response.StatusCode);
        Assert.Contains("If-Match", (await BodyAsync(response)).GetProperty("detail").GetString());
        Assert.Equal(15, (await ReadSettingsAsync()).GetProperty("onlineMinutesInterval").GetInt32());
    }

    [Theory]
    [InlineData("""{"onlineMinutesInterval": 0, "version": 0}""", "onlineMinutesInterval", "greater than zero")]
    [InlineData("""{"onlineMinutesInterval": -15, "version": 0}""", "onlineMinutesInterval", "greater than zero")]
    [InlineData("""{"onlineMinutesInterval": 1.5, "version": 0}""", "onlineMinutesInterval", "whole number")]
    [InlineData("""{"onlineMinutesInterval": 1e2, "version": 0}""", "onlineMinutesInterval", "whole number")]
    [InlineData("""{"onlineMinutesInterval": 1441, "version": 0}""", "onlineMinutesInterval", "at most 1440")]
    [InlineData("""{"onlineMinutesInterval": 99999999999999999999999999, "version": 0}""", "onlineMinutesInterval", "at most 1440")]
    [InlineData("""{"onlineMinutesInterval": "abc", "version": 0}""", "onlineMinutesInterval", "whole number")]
    [InlineData("""{"onlineMinutesInterval": "<img src=x onerror=alert(1)>", "version": 0}""", "onlineMinutesInterval", "whole number")]
    [InlineData("""{"onlineMinutesInterval": true, "version": 0}""", "onlineMinutesInterval", "whole number")]
    [InlineData("""{"onlineMinutesInterval": [15], "version": 0}""", "onlineMinutesInterval", "whole number")]
    [InlineData("""{"onlineMinutesInterval": {"value": 15}, "version": 0}""", "onlineMinutesInterval", "whole number")]
    [InlineData("""{"customerDataLifetime": 43201, "version": 0}""", "customerDataLifetime", "at most 43200")]
    [InlineData("""{"customerDataLifetime": 0, "version": 0}""", "customerDataLifetime", "greater than zero")]
    [InlineData("""{"onlineMinutes": 5, "version": 0}""", "onlineMinutes", "Unknown field")]
    [InlineData("""{"onlineMinutesInterval": 5, "version": "zero"}""", "version", "whole number")]
    [InlineData("""{"onlineMinutesInterval": 5, "version": -1}""", "version", "whole number")]
    [InlineData("""[15, 60]""", "body", "JSON object")]
    [InlineData("""15""", "body", "JSON object")]
    [InlineData("""{"onlineMinutesInterval": 5,""", "body", "not valid JSON")]
    [InlineData("""{"a":{"b":{"c":{"d":{"e":1}}}}}""", "body", "not valid JSON")]
    [InlineData("", "body", "empty")]
    public async Task Bad_input_is_refused_with_a_message_naming_the_field_and_nothing_is_saved(string body, string field, string problem)
    {
        var response = await PutAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var message = (await BodyAsync(response)).GetProperty("errors").GetProperty(field)[0].GetString();
        Assert.Contains(problem, message);
        var current = await ReadSettingsAsync();
        Assert.Equal((15, 60, 0L), (current.GetProperty("onlineMinutesInterval").GetInt32(),
            current.GetProperty("customerDataLifetime").GetInt32(), current.GetProperty("version").GetInt64()));
        Assert.Equal(0, await HistoryCountAsync());
    }

    [Fact]
    public async Task One_bad_field_saves_nothing_even_when_the_other_is_good()
    {
        var response = await PutAsync("""{"onlineMinutesInterval": 5, "customerDataLifetime": 0, "version": 0}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(15, (await ReadSettingsAsync()).GetProperty("onlineMinutesInterval").GetInt32());
    }

    [Theory]
    [InlineData("\"zero\"")]
    [InlineData("*")]
    [InlineData("\"-1\"")]
    public async Task Bad_if_match_is_refused(string ifMatch)
    {
        var response = await PutAsync("""{"onlineMinutesInterval": 5}""", ifMatch);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await BodyAsync(response)).GetProperty("errors").TryGetProperty("If-Match", out _));
    }

    [Fact]
    public async Task Versions_that_disagree_between_body_and_if_match_are_refused()
    {
        var response = await PutAsync("""{"onlineMinutesInterval": 5, "version": 3}""", ifMatch: "\"0\"");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("differ", (await BodyAsync(response)).GetProperty("errors").GetProperty("version")[0].GetString());
    }

    [Fact]
    public async Task Huge_body_is_refused_with_413()
    {
        var response = await PutAsync($$"""{"onlineMinutesInterval": "{{new string('1', 10_000)}}", "version": 0}""");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(15, (await ReadSettingsAsync()).GetProperty("onlineMinutesInterval").GetInt32());
    }

    [Fact]
    public async Task Body_that_is_not_json_is_refused_with_415()
    {
        var response = await _admin.PutAsync("/api/settings", new StringContent("onlineMinutesInterval=5"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task Saving_a_shorter_interval_drops_older_sessions_from_the_list_at_once_and_a_longer_one_brings_them_back()
    {
        await OwnAppAsync();
        var storefront = _app.Storefront();
        var tenMinutesAgo = DateTimeOffset.UtcNow.AddMinutes(-10);
        var shop = StorefrontEvents.Untagged();
        await storefront.PostEventAsync(shop.CartAdd("old", sku: "A", occurredAt: tenMinutesAgo));
        await storefront.PostEventAsync(shop.CartAdd("new", sku: "A"));

        await PutAsync("""{"onlineMinutesInterval": 5, "version": 0}""");
        var shorter = await storefront.GetFromJsonAsync<JsonElement>("/api/online");
        await PutAsync("""{"onlineMinutesInterval": 15, "version": 1}""");
        var longer = await storefront.GetFromJsonAsync<JsonElement>("/api/online");

        Assert.Equal(["new"], shorter.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("sessionId").GetString()));
        Assert.Equal(2, longer.GetProperty("total").GetInt32());
        Assert.Equal(TimeSpan.FromMinutes(15), _app.Services.GetRequiredService<PresenceTracker>().Interval);
    }

    [Fact]
    public async Task Saved_settings_survive_a_restart()
    {
        await OwnAppAsync();
        await PutAsync("""{"onlineMinutesInterval": 7, "customerDataLifetime": 70, "version": 0}""");

        await _app.RestartAsync();

        var read = await ReadSettingsAsync(_app.Storefront());
        Assert.Equal((7, 70, 1L), (read.GetProperty("onlineMinutesInterval").GetInt32(),
            read.GetProperty("customerDataLifetime").GetInt32(), read.GetProperty("version").GetInt64()));
        Assert.Equal(TimeSpan.FromMinutes(7), _app.Services.GetRequiredService<PresenceTracker>().Interval);
    }
}
