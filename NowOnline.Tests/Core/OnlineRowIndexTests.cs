using NowOnline.Core.Presence;

namespace NowOnline.Tests.Core;

/// <summary>The online list's rows: found by key, dense for scans, each change listed once until cleared.</summary>
public sealed class OnlineRowIndexTests
{
    [Fact]
    public void A_removed_row_leaves_the_array_dense_with_the_last_row_in_its_place()
    {
        var index = new OnlineRowIndex();
        var a = index.Add("v:a", SessionType.Visitor);
        index.Add("c:1", SessionType.Customer);
        var c = index.Add("v:c", SessionType.Visitor);

        index.Remove("v:a");

        Assert.Equal(2, index.Count);
        Assert.Equal(["v:c", "c:1"], index.Entries.Take(index.Count).Select(e => e.Slot.Key));
        Assert.Equal(0, c.Index);
        Assert.False(a.Present);
        Assert.False(index.TryGet("v:a", out _));
        Assert.Null(index.Entries[2].Slot);
    }

    [Fact]
    public void A_row_holds_its_text_while_present_and_lets_go_of_it_when_it_leaves()
    {
        var index = new OnlineRowIndex();
        var session = new SessionState("s-1", DateTimeOffset.UnixEpoch) { LastUrl = "https://shop.example/cart", Store = "de" };
        var slot = index.Add("v:s-1", SessionType.Visitor);
        slot.Set(session, null, null, 1);
        index.MarkChanged(slot);

        var urls = index.Text[RowTextField.LastUrl];
        Assert.Equal("https://shop.example/cart", urls[index.Entries[slot.Index].Text.At((int)RowTextField.LastUrl)]);
        session.LastUrl = "https://shop.example/sale";
        slot.Set(session, null, null, 1);
        index.MarkChanged(slot);
        Assert.Equal("https://shop.example/sale", urls[index.Entries[slot.Index].Text.At((int)RowTextField.LastUrl)]);
        Assert.Equal(1, urls.Live);

        index.Remove("v:s-1");

        Assert.All(Enum.GetValues<RowTextField>(), field => Assert.Equal(0, index.Text[field].Live));
    }

    [Fact]
    public void Customer_rows_are_counted_as_they_come_and_go()
    {
        var index = new OnlineRowIndex();
        index.Add("c:1", SessionType.Customer);
        index.Add("c:2", SessionType.Customer);
        index.Add("v:a", SessionType.Visitor);

        index.Remove("c:1");
        index.Remove("c:unknown");

        Assert.Equal((2, 1), (index.Count, index.CustomerRows));
    }

    [Fact]
    public void A_row_changed_many_times_is_listed_once_until_the_changes_are_cleared()
    {
        var index = new OnlineRowIndex();
        var slot = index.Add("v:a", SessionType.Visitor);

        index.MarkChanged(slot);
        index.MarkChanged(slot);
        index.Remove("v:a");

        Assert.Same(slot, Assert.Single(index.Changed));
        index.ClearChanges();
        Assert.Empty(index.Changed);
        Assert.False(slot.Pending);
    }

    [Fact]
    public void The_array_grows_past_its_first_size_and_every_row_stays_at_its_index()
    {
        var index = new OnlineRowIndex();
        var slots = Enumerable.Range(0, 3000).Select(i => index.Add($"v:{i}", SessionType.Visitor)).ToList();

        Assert.NotEmpty(slots);
        foreach (var slot in slots) Assert.Same(slot, index.Entries[slot.Index].Slot);
    }
}
