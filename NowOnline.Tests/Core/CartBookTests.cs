using NowOnline.Core.Presence;

namespace NowOnline.Tests.Core;

/// <summary>Carts by owner: a removed cart is never handed out again, and a session finds its current owner's cart.</summary>
public sealed class CartBookTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_removed_cart_is_marked_and_the_owner_starts_a_new_one()
    {
        var book = new CartBook();
        var first = book.For("s:1");
        first.Apply(ActivityType.CartAdd, new CartLine("WB-01", "Water bottle", 2));

        var removed = book.Remove("s:1");
        var second = book.For("s:1");

        Assert.Same(first, removed);
        Assert.True(first.Removed);
        Assert.NotSame(first, second);
        Assert.Empty(book.LinesOf("s:1"));
        Assert.Null(book.Remove("s:2"));
    }

    [Fact]
    public void A_session_uses_its_customers_cart_while_signed_in_and_its_own_after()
    {
        var book = new CartBook();
        var session = new SessionState("s-1", T0);

        var asVisitor = book.Of(session);
        session.CustomerId = 42;
        var asCustomer = book.Of(session);
        session.CustomerId = null;

        Assert.Equal("s:s-1", asVisitor.Owner);
        Assert.Equal("c:42", asCustomer.Owner);
        Assert.Same(asVisitor, book.Of(session));
    }

    [Fact]
    public void A_session_does_not_keep_using_a_cart_that_was_removed()
    {
        var book = new CartBook();
        var session = new SessionState("s-1", T0);
        var old = book.Of(session);

        book.Remove(old.Owner);
        var current = book.Of(session);

        Assert.NotSame(old, current);
        Assert.Same(current, book.Find("s:s-1"));
    }

    [Fact]
    public void Lines_are_read_in_sku_order()
    {
        var book = new CartBook();
        book.Restore(new CartSnapshot("c:7", [new CartLine("YM-02", "Yoga mat", 1), new CartLine("AB-01", "Apron", 3)]));

        Assert.Equal(["AB-01", "YM-02"], book.LinesOf("c:7").Select(l => l.Sku));
    }
}
