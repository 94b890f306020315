using NowOnline.Core.Presence;
using NowOnline.Tests.Support;
using static NowOnline.Tests.Support.Events;

namespace NowOnline.Tests.Core;

/// <summary>Each rule of PRODUCT.md "Behaviour", against the tracker with a fake clock.</summary>
public sealed class PresenceRulesTests
{
    private readonly FakeClock _clock = new();
    private readonly PresenceTracker _tracker;

    public PresenceRulesTests() => _tracker = TrackerFactory.Create(_clock, "Googlebot");

    private DateTimeOffset Now => _clock.GetUtcNow();

    private IReadOnlyList<OnlineRow> Online() => _tracker.Query(new OnlineQuery { Take = 1000 }).Items;

    [Fact]
    public void Login_puts_the_customer_online_with_their_profile()
    {
        _tracker.Apply([Login("s-1", Now)]);

        var row = Assert.Single(Online());
        Assert.Equal((42L, "Ada", "Lovelace", "ada@example.com", "Analytical Ltd"),
            (row.CustomerId!.Value, row.FirstName, row.LastName, row.Email, row.Company));
        Assert.Equal(SessionType.Customer, row.Type);
        Assert.Equal("https://shop.example/customer/account", row.LastUrl);
        Assert.Equal(Now, row.LastActivity);
    }

    [Fact]
    public void Register_puts_the_new_customer_online()
    {
        _tracker.Apply([Register("s-1", Now, new CustomerProfile(7, "New", "Shopper", "new@example.com", null))]);

        Assert.Equal(7, Assert.Single(Online()).CustomerId);
    }

    [Fact]
    public void Cart_change_puts_a_visitor_online_without_customer_fields()
    {
        _tracker.Apply([CartAdd("s-1", Now)]);

        var row = Assert.Single(Online());
        Assert.Equal(SessionType.Visitor, row.Type);
        Assert.Null(row.CustomerId);
        Assert.Null(row.Email);
    }

    [Fact]
    public void Page_view_alone_does_not_put_a_session_online()
    {
        _tracker.Apply([PageView("s-1", Now)]);

        Assert.Empty(Online());
        Assert.Equal(1, _tracker.Counters.PageViews);
    }

    [Fact]
    public void Page_view_does_not_refresh_last_activity_or_last_url()
    {
        var loginAt = Now;
        _tracker.Apply([Login("s-1", loginAt)]);
        _clock.Advance(TimeSpan.FromMinutes(10));

        _tracker.Apply([PageView("s-1", Now, "https://shop.example/sale.html")]);

        var row = Assert.Single(Online());
        Assert.Equal(loginAt, row.LastActivity);
        Assert.Equal("https://shop.example/customer/account", row.LastUrl);
    }

    [Fact]
    public void Page_views_do_not_keep_a_session_from_expiring()
    {
        _tracker.Apply([Login("s-1", Now)]);
        for (var minute = 0; minute < 15; minute++)
        {
            _clock.Advance(TimeSpan.FromMinutes(1));
            _tracker.Apply([PageView("s-1", Now)]);
        }

        _tracker.ExpireDue();

        Assert.Empty(Online());
    }

    [Fact]
    public void Session_is_online_until_the_interval_has_fully_passed()
    {
        _tracker.Apply([CartAdd("s-1", Now)]);

        _clock.Advance(TimeSpan.FromMinutes(15) - TimeSpan.FromMilliseconds(1));
        _tracker.ExpireDue();
        Assert.Single(Online());

        _clock.Advance(TimeSpan.FromMilliseconds(1));
        _tracker.ExpireDue();
        Assert.Empty(Online());
    }

    [Fact]
    public void Activity_moves_the_expiry_later()
    {
        _tracker.Apply([CartAdd("s-1", Now)]);
        _clock.Advance(TimeSpan.FromMinutes(10));
        _tracker.Apply([CartAdd("s-1", Now)]);

        _clock.Advance(TimeSpan.FromMinutes(10));
        _tracker.ExpireDue();

        Assert.Single(Online());
        Assert.Equal(Now + TimeSpan.FromMinutes(5), _tracker.NextExpiry);
    }

    [Fact]
    public void Expired_customer_must_log_in_again_to_be_a_customer()
    {
        _tracker.Apply([Login("s-1", Now)]);
        _clock.Advance(TimeSpan.FromMinutes(20));
        _tracker.ExpireDue();

        _tracker.Apply([CartAdd("s-1", Now)]);

        var row = Assert.Single(Online());
        Assert.Equal(SessionType.Visitor, row.Type);
        Assert.Equal(SessionType.Visitor, _tracker.GetSession("s-1")!.Type);
    }

    [Fact]
    public void Logout_turns_the_session_into_a_visitor_that_stays_online()
    {
        _tracker.Apply([Login("s-1", Now)]);
        _clock.Advance(TimeSpan.FromMinutes(1));

        _tracker.Apply([Logout("s-1", Now)]);

        var row = Assert.Single(Online());
        Assert.Equal(SessionType.Visitor, row.Type);
        Assert.Equal("v:s-1", row.Key);
        Assert.Equal(Now, row.LastActivity);
    }

    [Fact]
    public void Late_event_does_not_move_last_activity_backwards()
    {
        var latest = Now;
        _tracker.Apply([CartAdd("s-1", latest)]);

        _tracker.Apply([Login("s-1", latest - TimeSpan.FromMinutes(3))]);

        var row = Assert.Single(Online());
        Assert.Equal(latest, row.LastActivity);
    }

    [Fact]
    public void Late_logout_does_not_sign_out_a_newer_login()
    {
        var loginAt = Now;
        _tracker.Apply([Login("s-1", loginAt)]);

        _tracker.Apply([Logout("s-1", loginAt - TimeSpan.FromSeconds(30))]);

        Assert.Equal(SessionType.Customer, Assert.Single(Online()).Type);
    }

    [Fact]
    public void Event_applied_twice_changes_nothing()
    {
        _tracker.Apply([CartAdd("s-1", Now, qty: 2, eventId: "e-1")]);
        _clock.Advance(TimeSpan.FromMinutes(1));

        var result = _tracker.Apply([CartAdd("s-1", Now, qty: 2, eventId: "e-1")]);

        Assert.Equal((0, 1), (result.Applied, result.Duplicates));
        Assert.Equal(2, Assert.Single(_tracker.GetCart(null, "s-1")).Qty);
        Assert.Equal(Now - TimeSpan.FromMinutes(1), Assert.Single(Online()).LastActivity);
    }

    [Fact]
    public void Customer_on_two_devices_is_one_row_with_the_most_recent_session()
    {
        _tracker.Apply([Login("phone", Now, url: "https://shop.example/phone")]);
        _clock.Advance(TimeSpan.FromMinutes(2));
        _tracker.Apply([Login("laptop", Now, url: "https://shop.example/laptop")]);

        var row = Assert.Single(Online());
        Assert.Equal(("laptop", "https://shop.example/laptop", 2), (row.SessionId, row.LastUrl, row.SessionCount));
        Assert.Equal(["laptop", "phone"], _tracker.GetCustomerSessions(42).Select(s => s.SessionId));
    }

    [Fact]
    public void Customer_row_stays_while_one_of_their_devices_is_live()
    {
        _tracker.Apply([Login("phone", Now)]);
        _clock.Advance(TimeSpan.FromMinutes(10));
        _tracker.Apply([Login("laptop", Now)]);

        _clock.Advance(TimeSpan.FromMinutes(6));
        _tracker.ExpireDue();

        var row = Assert.Single(Online());
        Assert.Equal(("laptop", 1), (row.SessionId, row.SessionCount));
    }

    [Fact]
    public void Each_visitor_session_is_its_own_row()
    {
        _tracker.Apply([CartAdd("s-1", Now), CartAdd("s-2", Now)]);

        Assert.Equal(["v:s-1", "v:s-2"], Online().Select(r => r.Key).Order());
    }

    [Fact]
    public void Bot_events_are_counted_and_dropped()
    {
        var bot = CartAdd("s-bot", Now) with { UserAgent = "Mozilla/5.0 (compatible; GOOGLEBOT/2.1)" };

        var result = _tracker.Apply([bot]);

        Assert.Equal(1, result.IgnoredBots);
        Assert.Empty(Online());
        Assert.Equal(1, _tracker.Counters.IgnoredBots);
    }

    [Fact]
    public void Cart_is_kept_after_logout_and_expiry_and_is_there_on_the_next_login()
    {
        _tracker.Apply([Login("s-1", Now), CartAdd("s-1", Now, "WB-01", 2), Logout("s-1", Now)]);
        _clock.Advance(TimeSpan.FromHours(2));
        _tracker.ExpireDue();

        _tracker.Apply([Login("s-2", Now)]);

        var line = Assert.Single(_tracker.GetCart(42));
        Assert.Equal(("WB-01", 2), (line.Sku, line.Qty));
    }

    [Fact]
    public void Visitor_cart_joins_the_customer_cart_on_login()
    {
        _tracker.Apply([Login("s-1", Now), CartAdd("s-1", Now, "WB-01", 1), Logout("s-1", Now)]);
        _tracker.Apply([CartAdd("s-2", Now, "YM-02", 1), Login("s-2", Now)]);

        Assert.Equal(["WB-01", "YM-02"], _tracker.GetCart(42).Select(l => l.Sku));
        Assert.Empty(_tracker.GetCart(null, "s-2"));
    }

    [Fact]
    public void Cart_remove_takes_the_line_out()
    {
        _tracker.Apply([CartAdd("s-1", Now, "WB-01", 3), CartRemove("s-1", Now, "WB-01")]);

        Assert.Empty(_tracker.GetCart(null, "s-1"));
    }

    [Fact]
    public void Event_older_than_the_interval_is_stored_but_not_online()
    {
        _tracker.Apply([CartAdd("s-1", Now - TimeSpan.FromMinutes(16))]);

        Assert.Empty(Online());
        Assert.False(_tracker.GetSession("s-1")!.Online);
    }

    [Fact]
    public void Shorter_interval_drops_sessions_at_once_and_longer_brings_them_back()
    {
        _tracker.Apply([CartAdd("old", Now - TimeSpan.FromMinutes(10)), CartAdd("new", Now)]);

        _tracker.ChangeInterval(TimeSpan.FromMinutes(5));
        Assert.Equal(["v:new"], Online().Select(r => r.Key));

        _tracker.ChangeInterval(TimeSpan.FromMinutes(30));
        Assert.Equal(["v:new", "v:old"], Online().Select(r => r.Key).Order());
        Assert.Equal(Now + TimeSpan.FromMinutes(20), _tracker.NextExpiry);
    }

    [Fact]
    public void Session_status_tells_the_storefront_when_it_expires()
    {
        _tracker.Apply([Login("s-1", Now)]);

        var status = _tracker.GetSession("s-1")!;

        Assert.True(status.Online);
        Assert.Equal(SessionType.Customer, status.Type);
        Assert.Equal(Now + TimeSpan.FromMinutes(15), status.ExpiresAt);
        Assert.Null(_tracker.GetSession("unknown"));
    }
}
