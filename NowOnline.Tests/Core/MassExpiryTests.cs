using NowOnline.Core.Presence;
using NowOnline.Tests.Support;
using static NowOnline.Tests.Support.Events;

namespace NowOnline.Tests.Core;

/// <summary>Many sessions expiring at the same moment are taken off in slices; none is missed or taken off early.</summary>
public sealed class MassExpiryTests
{
    private static readonly int Many = PresenceTracker.ExpirySlice * 2 + 500;
    private readonly FakeClock _clock = new();
    private readonly PresenceTracker _tracker;

    public MassExpiryTests() => _tracker = TrackerFactory.Create(_clock);

    private DateTimeOffset Now => _clock.GetUtcNow();

    [Fact]
    public void Mass_expiry_takes_every_idle_session_off_the_list_across_slices()
    {
        _tracker.Apply(Enumerable.Range(0, Many).Select(i => CartAdd($"s-{i}", Now)).ToList());
        _tracker.Apply([Login("c-1", Now)]);
        using var grid = _tracker.Subscribe();
        _clock.Advance(TimeSpan.FromMinutes(15));

        var expired = _tracker.ExpireDue();

        Assert.Equal(Many + 1, expired);
        Assert.Equal(0, _tracker.Counters.Online);
        var removals = grid.TakePending();
        Assert.Equal(Many + 1, removals.Count);
        Assert.All(removals, change => Assert.True(change.Removed));
        Assert.Equal(0, _tracker.ExpireDue());
    }

    [Fact]
    public void Session_refreshed_after_its_first_expiry_entry_stays_online_through_a_mass_expiry()
    {
        var start = Now;
        _tracker.Apply(Enumerable.Range(0, Many).Select(i => CartAdd($"s-{i}", start)).ToList());
        _clock.Advance(TimeSpan.FromMinutes(5));
        var late = $"s-{Many - 1}";
        _tracker.Apply([CartAdd(late, Now)]);
        _clock.Set(start + TimeSpan.FromMinutes(15));

        var expired = _tracker.ExpireDue();

        Assert.Equal(Many - 1, expired);
        var still = Assert.Single(_tracker.Query(new OnlineQuery { Take = 10 }).Items);
        Assert.Equal(late, still.SessionId);
        Assert.True(_tracker.GetSession(late)!.Online);
        Assert.False(_tracker.GetSession("s-0")!.Online);
    }

    [Fact]
    public async Task Events_keep_being_applied_while_a_mass_expiry_runs()
    {
        _tracker.Apply(Enumerable.Range(0, Many * 4).Select(i => CartAdd($"s-{i}", Now)).ToList());
        _clock.Advance(TimeSpan.FromMinutes(15));

        var expiry = Task.Run(_tracker.ExpireDue);
        var applied = 0;
        for (var i = 0; i < 50; i++) applied += _tracker.Apply([CartAdd($"fresh-{i}", Now)]).Applied;
        var expired = await expiry;

        Assert.Equal(Many * 4, expired);
        Assert.Equal(50, applied);
        Assert.Equal(50, _tracker.Counters.Online);
    }
}
