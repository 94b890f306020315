using NowOnline.Core.Presence;
using NowOnline.Tests.Support;
using static NowOnline.Tests.Support.Events;

namespace NowOnline.Tests.Core;

public sealed class ChangeFeedTests
{
    private readonly FakeClock _clock = new();
    private readonly PresenceTracker _tracker;

    public ChangeFeedTests() => _tracker = TrackerFactory.Create(_clock);

    private DateTimeOffset Now => _clock.GetUtcNow();

    [Fact]
    public void Subscriber_starts_with_the_current_list()
    {
        _tracker.Apply([Login("s-1", Now)]);

        using var subscription = _tracker.Subscribe();

        Assert.Equal(["c:42"], subscription.InitialRows.Select(r => r.Key));
        Assert.Empty(subscription.TakePending());
    }

    [Fact]
    public async Task Subscriber_hears_a_row_arrive_change_and_leave()
    {
        using var subscription = _tracker.Subscribe();

        _tracker.Apply([CartAdd("s-1", Now)]);
        var arrived = Assert.Single(await subscription.ReadAsync());
        Assert.Equal(SessionType.Visitor, arrived.Row!.Type);

        _tracker.Apply([Login("s-1", Now)]);
        var changes = await subscription.ReadAsync();
        Assert.Equal(["c:42", "v:s-1"], changes.Select(c => c.Key).Order());
        Assert.True(changes.Single(c => c.Key == "v:s-1").Removed);

        _clock.Advance(TimeSpan.FromMinutes(15));
        _tracker.ExpireDue();
        var left = Assert.Single(await subscription.ReadAsync());
        Assert.Equal(("c:42", true), (left.Key, left.Removed));
    }

    [Fact]
    public void Slow_subscriber_gets_the_latest_state_per_row_once()
    {
        using var slow = _tracker.Subscribe();
        for (var i = 1; i <= 100; i++)
        {
            _clock.Advance(TimeSpan.FromSeconds(1));
            _tracker.Apply([CartAdd("s-1", Now)]);
        }

        var change = Assert.Single(slow.TakePending());
        Assert.Equal(Now, change.Row!.LastActivity);
    }

    [Fact]
    public void A_subscriber_that_never_reads_does_not_hold_up_others()
    {
        using var stalled = _tracker.Subscribe();
        using var reader = _tracker.Subscribe();

        for (var i = 0; i < 1000; i++) _tracker.Apply([CartAdd($"s-{i}", Now)]);

        Assert.Equal(1000, reader.TakePending().Count);
        Assert.Equal(1000, stalled.TakePending().Count);
    }

    [Fact]
    public void Disposed_subscription_receives_nothing_more()
    {
        var subscription = _tracker.Subscribe();
        subscription.Dispose();

        _tracker.Apply([CartAdd("s-1", Now)]);

        Assert.Empty(subscription.TakePending());
        Assert.Equal(0, _tracker.SubscriberCount);
    }

    [Fact]
    public void Page_view_publishes_no_change()
    {
        _tracker.Apply([Login("s-1", Now)]);
        using var subscription = _tracker.Subscribe();

        _tracker.Apply([PageView("s-1", Now + TimeSpan.FromMinutes(1))]);

        Assert.Empty(subscription.TakePending());
    }
}
