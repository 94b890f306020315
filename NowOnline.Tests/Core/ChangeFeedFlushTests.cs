using NowOnline.Core.Presence;

namespace NowOnline.Tests.Core;

/// <summary>The change feed on its own: a flush hands each changed row once to every subscriber and empties the change list.</summary>
public sealed class ChangeFeedFlushTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    private static RowSlot Visitor(OnlineRowIndex rows, string sessionId)
    {
        var slot = rows.Add(OnlineRow.VisitorKey(sessionId), SessionType.Visitor);
        slot.Set(new SessionState(sessionId, T0) { LastActivity = T0 }, null, null, 1);
        rows.MarkChanged(slot);
        return slot;
    }

    [Fact]
    public void A_flush_reaches_every_subscriber_and_leaves_no_change_pending()
    {
        var feed = new ChangeFeed();
        var rows = new OnlineRowIndex();
        using var first = feed.Subscribe(rows, feed.Remove);
        using var second = feed.Subscribe(rows, feed.Remove);
        Visitor(rows, "a");
        rows.Remove("v:a");
        Visitor(rows, "b");

        feed.Flush(rows);

        Assert.Empty(rows.Changed);
        foreach (var subscription in new[] { first, second })
        {
            var changes = subscription.TakePending().OrderBy(c => c.Key).ToList();
            Assert.Equal(["v:a", "v:b"], changes.Select(c => c.Key));
            Assert.True(changes[0].Removed);
            Assert.Equal("b", changes[1].Row!.SessionId);
        }
    }

    [Fact]
    public void A_new_subscriber_starts_with_the_rows_present_and_a_removed_one_hears_nothing_more()
    {
        var feed = new ChangeFeed();
        var rows = new OnlineRowIndex();
        Visitor(rows, "a");
        feed.Flush(rows);
        var subscription = feed.Subscribe(rows, feed.Remove);

        subscription.Dispose();
        Visitor(rows, "b");
        feed.Flush(rows);

        Assert.Equal(["v:a"], subscription.InitialRows.Select(r => r.Key));
        Assert.Empty(subscription.TakePending());
        Assert.Equal(0, feed.Count);
    }
}
