using NowOnline.Core.Presence;

namespace NowOnline.Tests.Core;

/// <summary>Who is online: a session's row follows its state on every reindex, and an online session is always scheduled.</summary>
public sealed class OnlineListTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private static readonly CustomerProfile Ada = new(42, "Ada", "Lovelace", "ada@example.com", null);

    private readonly OnlineList _list = new(new Dictionary<long, CustomerProfile> { [42] = Ada });

    private static SessionState Active(string id, DateTimeOffset at, long? customerId = null) =>
        new(id, at) { LastActivity = at, CustomerId = customerId };

    private List<string> Keys() => _list.Rows.Entries.Take(_list.Rows.Count).Select(e => e.Slot.Key).Order().ToList();

    [Fact]
    public void An_active_visitor_gets_a_row_and_an_expiry_entry()
    {
        var session = Active("s-1", T0);

        _list.Reindex(session, T0.UtcTicks);

        Assert.True(session.Online);
        Assert.Equal(["v:s-1"], Keys());
        Assert.True(session.Queued);
        Assert.Equal(T0 + _list.Interval, _list.Expiry.Next);
    }

    [Fact]
    public void Two_sessions_of_one_customer_are_one_row_with_the_latest_activity_and_the_profile()
    {
        var phone = Active("phone", T0, 42);
        var laptop = Active("laptop", T0.AddMinutes(1), 42);

        _list.Reindex(phone, T0.UtcTicks);
        _list.Reindex(laptop, T0.AddMinutes(1).UtcTicks);

        Assert.Equal(["c:42"], Keys());
        var row = _list.Rows.Entries[0].Slot.ToRow();
        Assert.Equal(("laptop", 2, "Ada"), (row.SessionId, row.SessionCount, row.FirstName));
        Assert.Equal(["laptop", "phone"], _list.SessionsOf(42).Select(s => s.SessionId));
    }

    [Fact]
    public void Signing_out_turns_the_customer_row_into_a_visitor_row()
    {
        var session = Active("s-1", T0, 42);
        _list.Reindex(session, T0.UtcTicks);

        session.CustomerId = null;
        _list.Reindex(session, T0.UtcTicks);

        Assert.Equal(["v:s-1"], Keys());
        Assert.Empty(_list.SessionsOf(42));
    }

    [Fact]
    public void A_session_past_the_interval_leaves_the_list_when_reindexed()
    {
        var session = Active("s-1", T0);
        _list.Reindex(session, T0.UtcTicks);

        _list.Reindex(session, (T0 + _list.Interval).UtcTicks);

        Assert.False(session.Online);
        Assert.Empty(Keys());
        Assert.Null(session.VisitorSlot);
    }
}
