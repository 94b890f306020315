using NowOnline.Core.Presence;

namespace NowOnline.Tests.Core;

/// <summary>The tracker's window of recent event ids: exact, oldest out first, bounded by its capacity.</summary>
public sealed class EventIdWindowTests
{
    [Fact]
    public void An_id_remembered_once_is_a_duplicate_the_second_time()
    {
        var window = new EventIdWindow(capacity: 10);

        Assert.True(window.Remember("e-1", atTicks: 1));
        Assert.False(window.Remember("e-1", atTicks: 2));
        Assert.True(window.Contains("e-1"));
        Assert.False(window.Contains("e-2"));
    }

    [Fact]
    public void A_full_window_forgets_its_oldest_id_first_and_never_holds_more_than_its_capacity()
    {
        var window = new EventIdWindow(capacity: 3);

        foreach (var (id, at) in new[] { ("e-1", 1L), ("e-2", 2L), ("e-3", 3L), ("e-4", 4L) }) window.Remember(id, at);

        Assert.Equal(3, window.Count);
        Assert.False(window.Contains("e-1"));
        Assert.True(window.Contains("e-2") && window.Contains("e-3") && window.Contains("e-4"));
    }

    [Fact]
    public void Ids_older_than_the_retention_are_forgotten_and_newer_ones_kept()
    {
        var window = new EventIdWindow(capacity: 10);
        window.Remember("old", atTicks: 100);
        window.Remember("new", atTicks: 200);

        window.ForgetBefore(150);

        Assert.False(window.Contains("old"));
        Assert.True(window.Contains("new"));
        Assert.Equal(1, window.Count);
    }

    [Fact]
    public void An_id_forgotten_and_remembered_again_stays_until_its_second_entry_is_the_oldest()
    {
        var window = new EventIdWindow(capacity: 2);
        window.Remember("e-1", atTicks: 1);
        window.Remember("e-2", atTicks: 2);
        window.Remember("e-3", atTicks: 3); // e-1 leaves
        Assert.True(window.Remember("e-1", atTicks: 4)); // e-2 leaves

        window.ForgetBefore(3); // e-1's first entry is long gone; its second (at 4) must keep it

        Assert.True(window.Contains("e-1"));
        Assert.True(window.Contains("e-3"));
        Assert.Equal(2, window.Count);
    }

    [Fact]
    public void The_tracker_gets_an_eighth_of_the_memory_budget()
    {
        Assert.Equal(8 * 1024 * 1024 / EventIdWindow.BytesPerId, EventIdWindow.CapacityFor(64));
        Assert.Throws<ArgumentOutOfRangeException>(() => new EventIdWindow(0));
    }
}
