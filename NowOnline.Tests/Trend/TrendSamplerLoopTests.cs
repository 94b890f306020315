using Microsoft.Extensions.Logging.Abstractions;
using NowOnline.Core.Presence;
using NowOnline.Core.Trend;
using NowOnline.Tests.Support;
using static NowOnline.Tests.Support.Events;

namespace NowOnline.Tests.Trend;

public sealed class TrendSamplerLoopTests : IDisposable
{
    private static readonly DateTimeOffset Eleven = new(2026, 11, 22, 11, 0, 0, TimeSpan.Zero);
    private readonly CoreDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task Running_sampler_adds_a_point_on_each_whole_minute()
    {
        var clock = new ManualTimerClock(Eleven.AddSeconds(40));
        var tracker = TrackerFactory.Create(clock);
        var history = new TrendHistory();
        using var sampler = new TrendSampler(tracker, history, _database.Contexts, clock, NullLogger<TrendSampler>.Instance);
        await sampler.StartAsync(CancellationToken.None);
        try
        {
            await Eventually.TrueAsync(() => clock.Waiting == 1, "the sampler waits for the minute");
            tracker.Apply([Login("s-ada", clock.GetUtcNow(), Ada)], lastSequence: 1);
            clock.Advance(TimeSpan.FromSeconds(19));
            Assert.Equal(1, clock.Waiting); // 11:00:59: the minute has not ended, its timer has not fired

            clock.Advance(TimeSpan.FromSeconds(1));
            await Eventually.TrueAsync(() => history.Points.Count == 1, "the point of 11:01 is added");
            await Eventually.TrueAsync(() => clock.Waiting == 1, "the sampler waits for the next minute");
            clock.Advance(TimeSpan.FromMinutes(1));
            await Eventually.TrueAsync(() => history.Points.Count == 2, "the point of 11:02 is added");

            Assert.Equal([Eleven.AddMinutes(1), Eleven.AddMinutes(2)], history.Points.Select(p => p.At));
            Assert.Equal([1, 0], history.Points.Select(p => p.Events));
            Assert.All(history.Points, p => Assert.Equal(1, p.Customers));
        }
        finally
        {
            await sampler.StopAsync(CancellationToken.None);
        }
    }
}
