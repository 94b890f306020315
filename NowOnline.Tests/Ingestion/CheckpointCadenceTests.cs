using NowOnline.Core.Ingestion;

namespace NowOnline.Tests.Ingestion;

/// <summary>The writer's checkpoint cadence: every second when passes are cheap, stretched by their cost, never past the bound.</summary>
public sealed class CheckpointCadenceTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 3, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_cheap_pass_leaves_a_pass_due_every_second()
    {
        var cadence = new CheckpointCadence(Start);
        cadence.Finished(TimeSpan.FromMilliseconds(50));

        Assert.False(cadence.IsDue(Start.AddMilliseconds(999)));
        Assert.True(cadence.IsDue(Start.AddSeconds(1)));
    }

    [Fact]
    public void A_pass_that_took_a_second_of_the_writer_delays_the_next_to_four_seconds_after_its_start()
    {
        var cadence = new CheckpointCadence(Start);
        cadence.Started(Start.AddSeconds(1));
        cadence.Finished(TimeSpan.FromSeconds(1));

        Assert.False(cadence.IsDue(Start.AddSeconds(4.9)));
        Assert.True(cadence.IsDue(Start.AddSeconds(5)));
    }

    [Fact]
    public void However_costly_a_pass_the_next_is_due_within_the_longest_interval()
    {
        var cadence = new CheckpointCadence(Start);
        cadence.Finished(TimeSpan.FromMinutes(1));

        Assert.Equal(CheckpointCadence.Longest, cadence.Interval);
        Assert.True(cadence.IsDue(Start + CheckpointCadence.Longest));
    }

    [Fact]
    public void A_cheap_pass_after_a_costly_one_brings_back_the_one_second_cadence()
    {
        var cadence = new CheckpointCadence(Start);
        cadence.Finished(TimeSpan.FromSeconds(2));
        cadence.Finished(TimeSpan.FromMilliseconds(10));

        Assert.Equal(CheckpointCadence.Shortest, cadence.Interval);
    }
}
