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
        Assert.False(session.CheckpointDirty);
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
}
