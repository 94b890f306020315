using NowOnline.Core.Ingestion;

namespace NowOnline.Tests.Ingestion;

public sealed class EventIdFilterTests
{
    private static readonly long Start = new DateTimeOffset(2026, 12, 2, 12, 0, 0, TimeSpan.Zero).UtcTicks;
    private static readonly TimeSpan Generation = TimeSpan.FromHours(1);

    private static EventIdFilter Loaded(long budgetBytes = 1024 * 1024) =>
        new(budgetBytes, Generation, Start) { IsLoaded = true };

    private static void Add(EventIdFilter filter, string id, long at) => filter.Add(filter.Hash(id), at);

    private static bool Maybe(EventIdFilter filter, string id) => filter.MayContain(filter.Hash(id));

    [Fact]
    public void Every_added_id_is_a_maybe_and_nearly_every_other_id_is_absent()
    {
        var filter = Loaded();
        var added = Enumerable.Range(0, 100_000).Select(i => $"{i:x32}").ToList();
        foreach (var id in added) Add(filter, id, Start);

        Assert.All(added, id => Assert.True(Maybe(filter, id)));
        var falsePositives = Enumerable.Range(0, 100_000).Count(i => Maybe(filter, $"other-{i}"));
        Assert.True(falsePositives < 1_000, $"{falsePositives} of 100,000 new ids were answered maybe");
    }

    [Fact]
    public void Before_it_is_loaded_every_id_is_a_maybe()
    {
        var filter = new EventIdFilter(1024 * 1024, Generation, Start);

        Assert.True(Maybe(filter, "never-added"));
    }

    [Fact]
    public void A_full_filter_answers_maybe_for_every_id_it_could_not_hold()
    {
        var filter = Loaded(budgetBytes: 64 * 17); // 64 buckets of 8 slots
        var added = Enumerable.Range(0, 5_000).Select(i => $"full-{i}").ToList();
        foreach (var id in added) Add(filter, id, Start);

        Assert.All(added, id => Assert.True(Maybe(filter, id)));
        Assert.True(filter.Overflowed > 0);
    }

    [Fact]
    public void Ids_are_forgotten_only_once_retention_has_deleted_what_was_logged_in_their_generation()
    {
        var filter = Loaded();
        Add(filter, "old", Start);
        var later = Start + Generation.Ticks;
        filter.Sweep(later); // a new generation starts
        Add(filter, "new", later);

        // Retention has not passed the old generation's last id yet: it is kept, however long the sweeps go on.
        filter.ForgetBefore(Start);
        for (var i = 0; i < 100; i++) filter.Sweep(later + i);
        Assert.True(Maybe(filter, "old"));

        filter.ForgetBefore(Start + 1);
        for (var i = 0; i < 100; i++) filter.Sweep(later + i);
        Assert.False(Maybe(filter, "old"));
        Assert.True(Maybe(filter, "new"));
        Assert.Equal(1, filter.Count);
    }

    [Fact]
    public void The_capacity_follows_the_budget()
    {
        Assert.InRange(EventIdFilter.CapacityFor(56L * 1024 * 1024), 24_000_000, 28_000_000);
    }
}
