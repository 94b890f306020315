namespace NowOnline.Core.Ingestion;

/// <summary>
/// When the writer starts its next state checkpoint pass: no sooner than <see cref="Shortest"/> after the last one started,
/// and no sooner than <see cref="CostFactor"/> times the writer's time the last pass took, but at most <see cref="Longest"/>
/// after it (what a restart replays from the log). Under load a row dirtied many times is then written once per pass, not
/// once a second, and the checkpoint takes at most about 1/<see cref="CostFactor"/> of the writer's time; a quiet service
/// still checkpoints every second. See "The writer and de-duplication" in the performance notes for the figures.
/// </summary>
internal sealed class CheckpointCadence(DateTimeOffset now)
{
    public static readonly TimeSpan Shortest = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan Longest = TimeSpan.FromSeconds(10);
    public const int CostFactor = 4;

    private DateTimeOffset _lastStarted = now;

    /// <summary>The time from the start of one pass to the start of the next.</summary>
    public TimeSpan Interval { get; private set; } = Shortest;

    public bool IsDue(DateTimeOffset now) => now - _lastStarted >= Interval;

    /// <summary>A pass was started (or found nothing to write) at <paramref name="now"/>.</summary>
    public void Started(DateTimeOffset now) => _lastStarted = now;

    /// <summary>A pass was written whole, taking <paramref name="cost"/> of the writer's time (its slices and its start).</summary>
    public void Finished(TimeSpan cost) => Interval = TimeSpan.FromTicks(Math.Clamp(cost.Ticks * CostFactor, Shortest.Ticks, Longest.Ticks));
}
