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

    [Fact]
    public void The_window_answers_like_a_set_of_its_last_ids_while_it_grows_wraps_around_and_ages_out()
    {
        // A model: the last ids remembered, in order, at most the capacity, the older ones aged out.
        const int capacity = 3_000; // past the first ring size, so the ring grows, then wraps around many times
        var window = new EventIdWindow(capacity);
        var model = new LinkedList<(string Id, long At)>();
        var random = new Random(14);
        for (var at = 1L; at <= 40_000; at++)
        {
            // Ids repeat: some are still in the window, some left it long ago.
            var id = $"e-{random.Next(8_000)}";
            var inModel = model.Any(e => e.Id == id);
            Assert.Equal(!inModel, window.Remember(id, at));
            if (!inModel)
            {
                model.AddLast((id, at));
                if (model.Count > capacity) model.RemoveFirst();
            }

            if (at % 5_000 == 0)
            {
                window.ForgetBefore(at - 1_500, most: 700);
                for (var n = 0; n < 700 && model.First is { } first && first.Value.At < at - 1_500; n++) model.RemoveFirst();
            }

            if (at % 1_000 == 0)
            {
                Assert.Equal(model.Count, window.Count);
                Assert.All(model, e => Assert.True(window.Contains(new string(e.Id.AsSpan()))));
            }
        }

        Assert.Equal(model.Count, window.Count);
        Assert.Equal(model.Count, Enumerable.Range(0, 8_000).Count(i => window.Contains($"e-{i}")));
    }

    [Fact]
    public void Forgetting_by_age_stops_at_the_most_asked_and_says_whether_older_ids_remain()
    {
        var window = new EventIdWindow(capacity: 10);
        for (var at = 1L; at <= 5; at++) window.Remember($"e-{at}", at);

        Assert.False(window.ForgetBefore(5, most: 2));
        Assert.True(window.ForgetBefore(5, most: 2));
        Assert.Equal(1, window.Count);
        Assert.True(window.Contains("e-5"));
        Assert.True(window.Remember("e-1", atTicks: 6));
    }

    [Fact]
    public void Long_ids_that_fill_the_arena_push_the_oldest_out_first_and_every_answer_stays_exact()
    {
        // Ids of 20-128 characters against an arena of 48 per place: the arena, not the capacity, bounds the window, and
        // it still holds exactly its newest ids. The model keeps as many of the newest ids as the window says it holds.
        const int capacity = 2_000;
        var window = new EventIdWindow(capacity);
        var model = new LinkedList<string>();
        var random = new Random(48);
        var pool = Enumerable.Range(0, 6_000).Select(i => $"{i}-" + new string((char)('a' + i % 26), random.Next(20, 127))).ToArray();
        for (var at = 1L; at <= 30_000; at++)
        {
            var id = pool[random.Next(pool.Length)];
            var isNew = !model.Contains(id);
            Assert.Equal(isNew, window.Remember(id, at));
            if (isNew) model.AddLast(id);
            while (model.Count > window.Count) model.RemoveFirst();

            Assert.InRange(window.Count, 1, capacity);
            if (at % 2_000 == 0)
            {
                Assert.InRange(window.Count, capacity * EventIdWindow.CharsPerId / 128, capacity - 1); // bounded by chars, yet never tiny
                Assert.All(model, kept => Assert.True(window.Contains(new string(kept.AsSpan()))));
                Assert.Equal(model.Count, pool.Count(window.Contains));
            }
        }
    }
}
