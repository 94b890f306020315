namespace NowOnline.Core.Presence;

/// <summary>
/// Every cart by owner key: <c>c:{customerId}</c> for a customer, <c>s:{sessionId}</c> for a visitor session. Invariants: a
/// cart is listed under its <see cref="Cart.Owner"/> exactly while it is not <see cref="Cart.Removed"/>; a removed cart is
/// never listed again (a later event for the owner starts a new cart). Not thread-safe: the tracker touches it under its lock.
/// </summary>
internal sealed class CartBook
{
    private readonly Dictionary<string, Cart> _carts = new(StringComparer.Ordinal);

    public int Count => _carts.Count;

    public IEnumerable<Cart> All => _carts.Values;

    public static string CustomerKey(long customerId) => OnlineRow.CustomerKey(customerId);

    public static string VisitorKey(string sessionId) => $"s:{sessionId}";

    public Cart? Find(string owner) => _carts.GetValueOrDefault(owner);

    /// <summary>The owner's cart, started empty when the owner has none.</summary>
    public Cart For(string owner)
    {
        if (_carts.TryGetValue(owner, out var cart)) return cart;
        cart = new Cart(owner);
        _carts.Add(owner, cart);
        return cart;
    }

    /// <summary>
    /// The cart a session's cart events change: its customer's while signed in, else its own. The session remembers the
    /// last cart it used, so the usual event finds it without a look-up; a cart that left or belongs to another owner
    /// (the session signed in or out since) is looked up again.
    /// </summary>
    public Cart Of(SessionState session)
    {
        var owner = session.CustomerId is { } id ? session.CustomerKey(id) : session.VisitorCartKey;
        if (session.LastCart is { Removed: false } known && string.Equals(known.Owner, owner, StringComparison.Ordinal)) return known;
        return session.LastCart = For(owner);
    }

    /// <summary>Takes the owner's cart out (marked removed); null when there was none.</summary>
    public Cart? Remove(string owner)
    {
        if (!_carts.Remove(owner, out var cart)) return null;
        cart.Removed = true;
        return cart;
    }

    /// <summary>Puts a cart loaded from the state tables in place of any cart of the same owner.</summary>
    public void Restore(CartSnapshot snapshot)
    {
        var restored = new Cart(snapshot.Owner);
        foreach (var line in snapshot.Lines) restored.Apply(ActivityType.CartUpdate, line);
        _carts[snapshot.Owner] = restored;
    }

    /// <summary>The owner's lines in SKU order, or none.</summary>
    public IReadOnlyList<CartLine> LinesOf(string owner) =>
        _carts.TryGetValue(owner, out var cart) ? cart.Lines.OrderBy(l => l.Sku, StringComparer.Ordinal).ToList() : [];
}
