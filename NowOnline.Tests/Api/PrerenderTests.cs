using NowOnline.Core.Presence;
using NowOnline.Tests.Support;

namespace NowOnline.Tests.Api;

public sealed class PrerenderTests
{
    [Fact]
    public async Task Prerendered_page_loads_leave_no_subscription_behind()
    {
        await using var app = await TestApp.StartAsync();
        var tracker = app.Services.GetRequiredService<PresenceTracker>();
        using var client = await app.AdminClientAsync();
        var before = tracker.SubscriberCount; // the presence hub's relay holds one only while a hub client is subscribed

        for (var i = 0; i < 5; i++) Assert.Contains("online-grid", await client.GetStringAsync("/customers/online"));

        // The prerendering renderer is disposed as the response ends, which can be just after the client has read it.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (tracker.SubscriberCount != before && DateTime.UtcNow < deadline) await Task.Delay(50);
        Assert.Equal(before, tracker.SubscriberCount);
    }
}
