using NowOnline.Core.Presence;

namespace NowOnline.Tests.Core;

/// <summary>The set of state changed since the last checkpoint: each owner once, flags cleared when taken.</summary>
public sealed class CheckpointSetTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_session_changed_many_times_is_written_once_and_is_clean_after_the_checkpoint()
    {
        var set = new CheckpointSet();
        var session = new SessionState("s-1", T0) { LastActivity = T0 };

        set.Add(session);
        set.Add(session);
        var checkpoint = set.Take(sequence: 7, _ => null);

        Assert.Equal(7, checkpoint.Sequence);
        Assert.Equal("s-1", Assert.Single(checkpoint.Sessions).SessionId);
        Assert.False(set.Lists(session));
        Assert.True(set.IsEmpty);
        Assert.True(set.Take(8, _ => null).IsEmpty);
    }

    [Fact]
    public void A_forgotten_session_is_not_written_and_a_removed_cart_is_written_empty()
    {
        var set = new CheckpointSet();
        set.Add(new SessionState("gone", T0) { Forgotten = true });
        var cart = new Cart("s:gone");
        cart.Apply(ActivityType.CartAdd, new CartLine("WB-01", "Water bottle", 2));
        set.Add(cart);
        cart.Removed = true;

        var checkpoint = set.Take(1, _ => null);

        Assert.Empty(checkpoint.Sessions);
        var written = Assert.Single(checkpoint.Carts);
        Assert.Equal("s:gone", written.Owner);
        Assert.Empty(written.Lines);
    }

    [Fact]
    public void An_owner_whose_cart_left_and_came_back_is_written_with_the_live_cart()
    {
        var set = new CheckpointSet();
        var left = new Cart("c:42") { Removed = true };
        var live = new Cart("c:42");
        live.Apply(ActivityType.CartAdd, new CartLine("YM-02", "Yoga mat", 1));
        set.Add(left);
        set.Add(live);

        var checkpoint = set.Take(1, _ => null);

        var written = Assert.Single(checkpoint.Carts);
        Assert.Equal([("YM-02", 1)], written.Lines.Select(l => (l.Sku, l.Qty)));
    }

    [Fact]
    public void Customers_are_written_with_their_current_profile_and_unknown_ones_are_skipped()
    {
        var set = new CheckpointSet();
        set.AddCustomer(42);
        set.AddCustomer(42);
        set.AddCustomer(7);
        var ada = new CustomerProfile(42, "Ada", "Lovelace", "ada@example.com", null);

        var checkpoint = set.Take(1, id => id == 42 ? ada : null);

        Assert.Equal([ada], checkpoint.Customers);
    }

    [Fact]
    public void A_session_changed_while_its_pass_is_captured_is_written_as_it_stood_when_the_pass_began_and_listed_again()
    {
        var set = new CheckpointSet();
        var session = new SessionState("s-1", T0) { LastActivity = T0, LastUrl = "/before" };
        set.Add(session);
        var pass = set.Begin(sequence: 5);
        pass.PutInOrder();

        // The applier lists a session before it changes it.
        set.Add(session);
        session.LastUrl = "/after";
        session.LastActivity = T0.AddMinutes(1);
        var slice = new CheckpointSlice();
        set.Capture(pass, rows: 10, slice, _ => null);

        var written = Assert.Single(slice.Sessions);
        Assert.Equal(("/before", T0), (written.LastUrl, written.LastActivity));
        Assert.True(pass.Captured);
        Assert.False(set.Capturing);
        Assert.True(set.Lists(session));
        Assert.Equal("/after", Assert.Single(set.Take(6, _ => null).Sessions).LastUrl);
    }

    [Fact]
    public void A_cart_changed_or_removed_while_its_pass_is_captured_is_written_with_the_lines_it_had_when_the_pass_began()
    {
        var set = new CheckpointSet();
        var changed = new Cart("s:a");
        changed.Apply(ActivityType.CartAdd, new CartLine("WB-01", "Water bottle", 1));
        var removed = new Cart("s:b");
        removed.Apply(ActivityType.CartAdd, new CartLine("YM-02", "Yoga mat", 3));
        set.Add(changed);
        set.Add(removed);
        var pass = set.Begin(sequence: 5);
        pass.PutInOrder();

        set.Add(changed);
        changed.Apply(ActivityType.CartAdd, new CartLine("WB-01", "Water bottle", 4));
        set.Add(removed);
        removed.Removed = true;
        var slice = new CheckpointSlice();
        set.Capture(pass, rows: 10, slice, _ => null);

        Assert.Equal(["s:a WB-01:1", "s:b YM-02:3"],
            slice.Carts.SelectMany(c => c.Lines.Select(l => $"{c.Owner} {l.Sku}:{l.Qty}")));
    }

    [Fact]
    public void A_session_forgotten_after_its_pass_began_is_still_written_and_one_forgotten_before_is_not()
    {
        var set = new CheckpointSet();
        var before = new SessionState("s-before", T0) { LastActivity = T0 };
        var after = new SessionState("s-after", T0) { LastActivity = T0 };
        set.Add(before);
        set.Add(after);
        before.Forgotten = true;
        var pass = set.Begin(sequence: 5);
        pass.PutInOrder();

        set.BeforeChange(after);
        after.Forgotten = true;
        var slice = new CheckpointSlice();
        set.Capture(pass, rows: 10, slice, _ => null);

        Assert.Equal(["s-after"], slice.Sessions.Select(s => s.SessionId));
    }

    [Fact]
    public void A_pass_hands_out_carts_of_customers_then_of_visitors_then_customers_then_sessions_each_in_key_order_a_slice_at_a_time()
    {
        var set = new CheckpointSet();
        foreach (var id in new[] { "s-b", "s-a", "s-c" }) set.Add(new SessionState(id, T0) { LastActivity = T0 });
        foreach (var owner in new[] { "s:s-a", "c:7", "c:42" }) set.Add(new Cart(owner));
        set.AddCustomer(42);
        set.AddCustomer(7);
        var pass = set.Begin(sequence: 5);
        pass.PutInOrder();

        var order = new List<string>();
        var slices = 0;
        while (!pass.Captured)
        {
            var slice = new CheckpointSlice();
            set.Capture(pass, rows: 2, slice, id => new CustomerProfile(id, "F", "L", $"{id}@example.com", null));
            order.AddRange(slice.Carts.Select(c => c.Owner).Concat(slice.Customers.Select(c => $"#{c.Id}")).Concat(slice.Sessions.Select(s => s.SessionId)));
            slices++;
        }

        Assert.Equal(["c:42", "c:7", "s:s-a", "#7", "#42", "s-a", "s-b", "s-c"], order);
        Assert.Equal(4, slices);
        Assert.False(set.Capturing);
    }

    [Fact]
    public void Only_one_pass_is_captured_at_a_time_and_a_pass_given_back_is_listed_whole_for_the_next()
    {
        var set = new CheckpointSet();
        var first = new SessionState("s-1", T0) { LastActivity = T0 };
        var second = new SessionState("s-2", T0) { LastActivity = T0 };
        set.Add(first);
        set.Add(second);
        var pass = set.Begin(sequence: 5);
        pass.PutInOrder();
        set.Capture(pass, rows: 1, new CheckpointSlice(), _ => null);

        Assert.Throws<InvalidOperationException>(() => set.Begin(6));
        set.GiveBack(pass, cart => cart);

        Assert.False(set.Capturing);
        Assert.Equal(["s-1", "s-2"], set.Take(6, _ => null).Sessions.Select(s => s.SessionId));
    }

    [Fact]
    public void A_pass_given_back_before_its_members_were_put_in_order_loses_none_of_them()
    {
        var set = new CheckpointSet();
        set.Add(new SessionState("s-2", T0) { LastActivity = T0 });
        set.Add(new SessionState("s-1", T0) { LastActivity = T0 });
        set.AddCustomer(42);
        set.Add(new Cart("s:s-1"));
        var pass = set.Begin(sequence: 5);

        set.GiveBack(pass, cart => cart);

        var again = set.Take(6, id => new CustomerProfile(id, "Ada", "Lovelace", "ada@example.com", null));
        Assert.Equal(["s-1", "s-2"], again.Sessions.Select(s => s.SessionId));
        Assert.Equal([42L], again.Customers.Select(c => c.Id));
        Assert.Equal(["s:s-1"], again.Carts.Select(c => c.Owner));
    }
}
