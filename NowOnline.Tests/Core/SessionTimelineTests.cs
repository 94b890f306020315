using System.Net;
using NowOnline.Core.Persistence;
using NowOnline.Core.Presence;
using NowOnline.Tests.Support;

namespace NowOnline.Tests.Core;

/// <summary>The detail panel's timeline, read from the durable log in a real SQLite file.</summary>
public sealed class SessionTimelineTests
{
    [Fact]
    public async Task Timeline_lists_one_sessions_logged_events_newest_first_up_to_the_limit()
    {
        await using var app = await TestApp.StartAsync();
        var storefront = app.Storefront();
        var start = DateTimeOffset.UtcNow.AddMinutes(-5);
        var events = Enumerable.Range(0, 30)
            .Select(i => (object)new { type = "cart_add", sessionId = i % 3 == 0 ? "other" : "s-1", occurredAt = start.AddSeconds(i), item = new { sku = $"SKU-{i}", qty = 1 } })
            .Append(new { type = "page_view", sessionId = "s-1", url = "https://shop.example/sale.html" })
            .ToArray();
        Assert.Equal(HttpStatusCode.Accepted, (await storefront.PostEventAsync(events)).StatusCode);

        var timeline = await app.Services.GetRequiredService<SessionTimeline>().RecentAsync("s-1", limit: 5);

        Assert.Equal([ActivityType.PageView, ActivityType.CartAdd, ActivityType.CartAdd, ActivityType.CartAdd, ActivityType.CartAdd], timeline.Select(e => e.Type));
        Assert.Equal(["SKU-29", "SKU-28", "SKU-26", "SKU-25"], timeline.Skip(1).Select(e => e.Item!.Sku));
        Assert.All(timeline, e => Assert.Equal("s-1", e.SessionId));
    }

    [Fact]
    public async Task Unknown_session_has_an_empty_timeline()
    {
        await using var app = await TestApp.StartAsync();

        Assert.Empty(await app.Services.GetRequiredService<SessionTimeline>().RecentAsync("nobody"));
    }

    [Fact]
    public async Task A_look_up_file_opened_but_not_yet_given_its_tables_reads_as_nothing_filed()
    {
        // The filing thread creates the file when it opens it and its tables a moment later; a timeline read in between
        // once failed with "no such table: SessionEvents" (seen in a full test run).
        using var database = new CoreDatabase();
        await using (var empty = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={EventLookup.PathOf(database.Sqlite)}"))
            await empty.OpenAsync();
        Assert.True(File.Exists(EventLookup.PathOf(database.Sqlite)));

        Assert.Empty(await new SessionTimeline(database.Sqlite).RecentAsync("s-1"));
    }
}
