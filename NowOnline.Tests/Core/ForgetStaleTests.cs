using NowOnline.Core.Presence;
using NowOnline.Tests.Support;
using static NowOnline.Tests.Support.Events;

namespace NowOnline.Tests.Core;

/// <summary>
/// Sessions offline past the data lifetime, and event ids past their retention, are forgotten in slices (the lock is let go
/// between them); every stale one goes, nothing recent goes with it.
/// </summary>
public sealed class ForgetStaleTests
{
    private static readonly int Many = PresenceTracker.ExpirySlice * 2 + 500;
    private static readonly TimeSpan KeepFor = TimeSpan.FromDays(1);
    private readonly FakeClock _clock = new();
    private readonly PresenceTracker _tracker;

    public ForgetStaleTests() => _tracker = TrackerFactory.Create(_clock);

    private DateTimeOffset Now => _clock.GetUtcNow();

    [Fact]
    public void Every_stale_session_and_its_visitor_cart_is_forgotten_across_slices_and_a_recent_one_stays()
    {
        _tracker.Apply(Enumerable.Range(0, Many).Select(i => CartAdd($"s-{i}", Now, $"SKU-{i}")).ToList());
        _clock.Advance(KeepFor + TimeSpan.FromMinutes(1));
        _tracker.Apply([CartAdd("recent", Now)]);
        _tracker.ExpireDue();

        var forgotten = _tracker.ForgetStale(KeepFor);

        Assert.Equal(Many, forgotten);
        Assert.All(Enumerable.Range(0, Many), i => Assert.Null(_tracker.GetSession($"s-{i}")));
        Assert.Empty(_tracker.GetCart(null, "s-0"));
        Assert.Empty(_tracker.GetCart(null, $"s-{Many - 1}"));
        Assert.True(_tracker.GetSession("recent")?.Online);
        Assert.Single(_tracker.GetCart(null, "recent"));
        Assert.Equal(0, _tracker.ForgetStale(KeepFor));
    }

    [Fact]
    public void Every_event_id_past_its_retention_is_forgotten_across_slices_and_a_recent_one_is_still_known()
    {
        var old = Enumerable.Range(0, Many).Select(i => CartAdd($"s-{i % 10}", Now, eventId: $"old-{i}")).ToList();
        _tracker.Apply(old);
        _clock.Advance(TimeSpan.FromMinutes(new PresenceOptions().EventIdRetentionMinutes + 1));
        _tracker.Apply([CartAdd("recent", Now, eventId: "new-1")]);

        _tracker.ForgetStale(KeepFor);

        Assert.All(_tracker.KnownEvents(old.Select(e => e.EventId)), Assert.False);
        Assert.Equal([true], _tracker.KnownEvents(["new-1"]));
    }
}
