using NowOnline.Core.Presence;
using static NowOnline.Tests.Support.Events;

namespace NowOnline.Tests.Core;

/// <summary>The rules on their own: what one event changes in the sessions, carts, checkpoint set and online list.</summary>
public sealed class ActivityApplierTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    private readonly SessionTable _sessions = new();
    private readonly CartBook _carts = new();
    private readonly Dictionary<long, CustomerProfile> _profiles = new();
    private readonly CheckpointSet _checkpoint = new();
    private readonly OnlineList _online;
    private readonly ActivityApplier _applier;

    public ActivityApplierTests()
    {
        _online = new OnlineList(_profiles);
        _applier = new ActivityApplier(_sessions, _carts, _profiles, _online, _checkpoint);
    }

    private void Apply(ActivityEvent activity) =>
        _applier.Apply(activity, _sessions.Find(activity.SessionId), T0.UtcTicks);

    [Fact]
    public void A_cart_event_creates_the_session_fills_its_cart_and_lists_both_for_the_checkpoint()
    {
        Apply(CartAdd("s-1", T0, "WB-01", 2));

        var session = Assert.IsType<SessionState>(_sessions.Find("s-1"));
        Assert.True(session.Online);
        Assert.Equal(["WB-01"], _carts.LinesOf("s:s-1").Select(l => l.Sku));
        Assert.True(_checkpoint.Lists(session));
        var checkpoint = _checkpoint.Take(1, _ => null);
        Assert.Equal(["s-1"], checkpoint.Sessions.Select(s => s.SessionId));
        Assert.Equal(["s:s-1"], checkpoint.Carts.Select(c => c.Owner));
    }

    [Fact]
    public void A_page_view_is_counted_and_creates_nothing()
    {
        Apply(PageView("s-1", T0));

        Assert.Equal(1, _applier.PageViews);
        Assert.Null(_sessions.Find("s-1"));
        Assert.True(_checkpoint.IsEmpty);
    }

    [Fact]
    public void Signing_in_moves_the_guest_cart_into_the_customers_cart_and_keeps_the_profile()
    {
        Apply(CartAdd("s-1", T0, "WB-01", 2));
        Apply(Login("s-1", T0.AddSeconds(1)));

        Assert.Empty(_carts.LinesOf("s:s-1"));
        Assert.Equal([("WB-01", 2)], _carts.LinesOf("c:42").Select(l => (l.Sku, l.Qty)));
        Assert.Same(Ada, _profiles[42]);
        Assert.Equal(42, _sessions.Find("s-1")!.CustomerId);
    }

    [Fact]
    public void An_older_event_changes_the_cart_but_not_the_last_activity()
    {
        Apply(CartAdd("s-1", T0.AddMinutes(1), "WB-01"));
        Apply(CartAdd("s-1", T0, "YM-02"));

        Assert.Equal(T0.AddMinutes(1), _sessions.Find("s-1")!.LastActivity);
        Assert.Equal(["WB-01", "YM-02"], _carts.LinesOf("s:s-1").Select(l => l.Sku));
    }
}
