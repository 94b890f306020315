using System.Net;
using NowOnline.Tests.Support;

namespace NowOnline.Tests.Operations;

/// <summary>
/// /metrics in Prometheus text with the names of PRODUCT.md. Other test apps in this process record into the same
/// meter, so a moving series is checked as "grew by at least" what this test did; the gauges (online sessions, hub
/// connections) report one app's value, which another app running at the same moment could overwrite, so these tests run
/// alone, after the others (<see cref="ProcessMetersCollection"/>).
/// </summary>
[Collection(ProcessMetersCollection.Name)]
public sealed class MetricsTests
{
    private static readonly Dictionary<string, string?> MetricsOn = new() { ["Metrics:Enabled"] = "true" };

    private static object Login(string session, string eventId, string? userAgent = null) => new
    {
        eventId, type = "login", sessionId = session, userAgent,
        customer = new { id = Math.Abs(session.GetHashCode()) % 1_000_000 + 1, firstName = "Ada", email = "ada@example.com" },
    };

    [Fact]
    public async Task Scrape_shows_the_named_series_moving_as_events_arrive()
    {
        var clock = new FakeClock(DateTimeOffset.UtcNow);
        await using var app = await TestApp.StartAsync(MetricsOn, clock: clock);
        using var scraper = app.Anonymous();
        var before = await Scrape.ReadAsync(scraper);
        foreach (var name in new[] { "nowonline_events_accepted_total", "nowonline_events_duplicate_total", "nowonline_events_ignored_total",
                     "nowonline_expired_sessions_total", "nowonline_hub_connections", "nowonline_online_sessions" })
            Assert.True(before.TypeOf(name) is not null, $"{name} is in the scrape before any event");

        var session = "m-" + Guid.NewGuid().ToString("N");
        using var storefront = app.Storefront();
        Assert.Equal(HttpStatusCode.Accepted, (await storefront.PostEventAsync(Login(session, session + "-1"))).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await storefront.PostEventAsync(Login(session, session + "-1"))).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await storefront.PostEventAsync(Login("bot-" + session, null!, "Mozilla/5.0 (compatible; Googlebot/2.1)"))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await storefront.PostJsonAsync("/api/activity", """{"type":"nap","sessionId":"x"}""")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().PostEventAsync(Login(session, "e-x"))).StatusCode);
        await using var hub = await PresenceSubscriber.ConnectAsync(app.BaseAddress, HubCredentials.ApiKeyHeader());

        Scrape after = before;
        await Eventually.TrueAsync(async () =>
        {
            after = await Scrape.ReadAsync(scraper);
            // Request durations are recorded after each response is sent, and the gauge is read at scrape time:
            // wait until every series this test moved has been recorded, then check each one below.
            return after.Value("nowonline_events_rejected_total", ("status_code", "401")) >= 1 && after.Value("nowonline_hub_connections") >= 1
                && after.Value("nowonline_events_rejected_total", ("status_code", "400")) >= 1
                && after.Value("nowonline_online_sessions", ("type", "customer")) >= 1
                && after.Value("http_server_request_duration_seconds_count", ("http_route", "/api/activity"), ("http_response_status_code", "202")) >= 3;
        }, "the scrape shows the refused requests, the hub connection, the online customer and the accepted requests");

        Assert.Equal("counter", after.TypeOf("nowonline_events_accepted_total"));
        Assert.True(after.Value("nowonline_events_accepted_total") - before.Value("nowonline_events_accepted_total") >= 1);
        Assert.True(after.Value("nowonline_events_duplicate_total") - before.Value("nowonline_events_duplicate_total") >= 1);
        Assert.True(after.Value("nowonline_events_ignored_total") - before.Value("nowonline_events_ignored_total") >= 1);
        Assert.True(after.Value("nowonline_events_rejected_total", ("status_code", "400")) >= 1);
        Assert.True(after.Value("nowonline_online_sessions", ("type", "customer")) >= 1);
        Assert.Equal("gauge", after.TypeOf("nowonline_online_sessions"));
        Assert.Equal("histogram", after.TypeOf("nowonline_commit_duration_seconds"));
        Assert.True(after.Value("nowonline_commit_duration_seconds_count") - before.Value("nowonline_commit_duration_seconds_count") >= 2);
        Assert.Equal("histogram", after.TypeOf("http_server_request_duration_seconds"));
        Assert.True(after.Value("http_server_request_duration_seconds_count", ("http_route", "/api/activity"), ("http_response_status_code", "202")) >= 3);
        Assert.DoesNotContain(session, after.Text); // no session id (or other payload) in a label
        Assert.NotNull(after.TypeOf("kestrel_active_connections"));
        // SignalR's own connection series is not asserted: the apps of the whole test run share one process, and
        // which app's instrument of that name the exporter reports depends on the order they started in.
        Assert.NotNull(after.TypeOf("dotnet_gc_collections_total"));
        // Framework meters that record on every request and that no dashboard of this service needs stay off (cost).
        Assert.DoesNotContain("aspnetcore_routing_", after.Text);
        Assert.DoesNotContain("aspnetcore_authentication_", after.Text);
        Assert.DoesNotContain("aspnetcore_authorization_", after.Text);
        Assert.DoesNotContain("aspnetcore_rate_limiting_", after.Text);
        Assert.DoesNotContain("aspnetcore_memory_pool_", after.Text);

        var expiredBefore = after.Value("nowonline_expired_sessions_total");
        clock.Advance(TimeSpan.FromMinutes(16));
        await Eventually.TrueAsync(async () => (await Scrape.ReadAsync(scraper)).Value("nowonline_expired_sessions_total") > expiredBefore,
            "the expired session is counted");
    }

    [Fact]
    public async Task Metrics_are_off_outside_Development_unless_enabled()
    {
        await using var app = await TestApp.StartAsync();

        var response = await app.Anonymous().GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Metrics_port_serves_metrics_only_and_the_app_port_no_metrics()
    {
        var port = FreePort.Next();
        await using var app = await TestApp.StartAsync(new Dictionary<string, string?> { ["Metrics:Enabled"] = "true", ["Metrics:Port"] = $"{port}" });
        using var metrics = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };

        var scrape = await Scrape.ReadAsync(metrics);
        var onAppPort = await app.Anonymous().GetAsync("/metrics");
        var apiOnMetricsPort = await metrics.GetAsync("/healthz");

        Assert.NotNull(scrape.TypeOf("nowonline_events_accepted_total"));
        Assert.Equal(HttpStatusCode.NotFound, onAppPort.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, apiOnMetricsPort.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.Anonymous().GetAsync("/healthz")).StatusCode);
    }

}

/// <summary>
/// Tests that read series every app of this test process records into (the meters are found by name, process-wide): they
/// run alone, after the parallel collections, so no other app's gauge answers for theirs.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessMetersCollection
{
    public const string Name = "Process-wide meters";
}
