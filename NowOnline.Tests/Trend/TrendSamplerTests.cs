using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using NowOnline.Core.Persistence;
using NowOnline.Core.Presence;
using NowOnline.Core.Trend;
using NowOnline.Tests.Support;
using static NowOnline.Tests.Support.Events;

namespace NowOnline.Tests.Trend;

public sealed class TrendSamplerTests : IDisposable
{
    private static readonly DateTimeOffset Eleven = new(2026, 11, 22, 11, 0, 0, TimeSpan.Zero);

    private readonly CoreDatabase _database = new();
    private readonly FakeClock _clock = new(Eleven.AddSeconds(20));
    private readonly PresenceTracker _tracker;
    private long _sequence;

    public TrendSamplerTests() => _tracker = TrackerFactory.Create(_clock);

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task Each_minute_stores_one_point_with_the_online_counts_and_the_events_of_that_minute()
    {
        var (sampler, history) = await StartSamplerAsync();
        Apply(Login("s-ada", _clock.GetUtcNow(), Ada), CartAdd("s-v1", _clock.GetUtcNow()), CartAdd("s-v2", _clock.GetUtcNow()));
        _clock.Set(Eleven.AddMinutes(1));
        await sampler.SampleAsync();

        Apply(CartAdd("s-v1", _clock.GetUtcNow()));
        _clock.Set(Eleven.AddMinutes(2).AddSeconds(1));
        await sampler.SampleAsync();

        Assert.Equal(
            [new TrendPoint(Eleven.AddMinutes(1).ToUnixTimeMilliseconds(), 3, 1, 2, 3),
             new TrendPoint(Eleven.AddMinutes(2).ToUnixTimeMilliseconds(), 3, 1, 2, 1)],
            await StoredPointsAsync());
        Assert.Equal(await StoredPointsAsync(), history.Points);
    }

    [Fact]
    public async Task A_second_sample_in_the_same_minute_keeps_one_point_with_the_later_counts_and_all_events()
    {
        var (sampler, _) = await StartSamplerAsync();
        _clock.Set(Eleven.AddMinutes(1));
        Apply(CartAdd("s-v1", _clock.GetUtcNow()));
        await sampler.SampleAsync();
        Apply(Login("s-ada", _clock.GetUtcNow(), Ada));
        _clock.Set(Eleven.AddMinutes(1).AddSeconds(30));
        await sampler.SampleAsync();

        Assert.Equal([new TrendPoint(Eleven.AddMinutes(1).ToUnixTimeMilliseconds(), 2, 1, 1, 2)], await StoredPointsAsync());
    }

    [Fact]
    public async Task Points_older_than_a_day_are_deleted()
    {
        var (sampler, _) = await StartSamplerAsync();
        _clock.Set(Eleven.AddMinutes(1));
        await sampler.SampleAsync();
        _clock.Set(Eleven.AddMinutes(2));
        await sampler.SampleAsync();

        _clock.Set(Eleven.AddMinutes(2).AddDays(1));
        await sampler.SampleAsync();

        Assert.Equal(
            [Eleven.AddMinutes(2).ToUnixTimeMilliseconds(), Eleven.AddMinutes(2).AddDays(1).ToUnixTimeMilliseconds()],
            (await StoredPointsAsync()).Select(p => p.AtMs));
    }

    [Fact]
    public async Task The_last_hour_survives_a_restart_and_older_points_stay_off_the_chart()
    {
        var (sampler, _) = await StartSamplerAsync();
        Apply(Login("s-ada", _clock.GetUtcNow(), Ada));
        foreach (var minutes in new[] { 1, 30, 89, 90 })
        {
            _clock.Set(Eleven.AddMinutes(minutes));
            await sampler.SampleAsync();
        }

        // A new process: its own context factory on the same file, a new history and sampler.
        _clock.Set(Eleven.AddMinutes(91).AddSeconds(5));
        var contexts = new PooledDbContextFactory<NowOnlineDb>(
            new DbContextOptionsBuilder<NowOnlineDb>().UseSqlite(_database.Sqlite.ConnectionString).Options);
        var restarted = new TrendHistory();
        await new TrendSampler(TrackerFactory.Create(_clock), restarted, contexts, _clock, NullLogger<TrendSampler>.Instance)
            .LoadAsync();

        Assert.Equal([89, 90], restarted.Points.Select(p => (int)(p.At - Eleven).TotalMinutes));
        Assert.All(restarted.Points, p => Assert.Equal(1, p.Customers));
    }

    [Fact]
    public void History_keeps_the_hour_ending_at_its_latest_point_and_tells_subscribers()
    {
        var history = new TrendHistory();
        var told = 0;
        history.Changed += () => told++;

        for (var minute = 1; minute <= 61; minute++)
            history.Add(new TrendPoint(Eleven.AddMinutes(minute).ToUnixTimeMilliseconds(), minute, 0, minute, 0));

        Assert.Equal(61, told);
        Assert.Equal(60, history.Points.Count);
        Assert.Equal(2, history.Points[0].Online);
        Assert.Equal(61, history.Points[^1].Online);
    }

    private async Task<(TrendSampler Sampler, TrendHistory History)> StartSamplerAsync()
    {
        var history = new TrendHistory();
        var sampler = new TrendSampler(_tracker, history, _database.Contexts, _clock, NullLogger<TrendSampler>.Instance);
        await sampler.LoadAsync();
        return (sampler, history);
    }

    private void Apply(params ActivityEvent[] events)
    {
        _sequence += events.Length;
        _tracker.Apply(events, _sequence);
    }

    private async Task<List<TrendPoint>> StoredPointsAsync()
    {
        await using var db = await _database.Contexts.CreateDbContextAsync();
        return await db.TrendPoints.AsNoTracking().OrderBy(p => p.AtMs).ToListAsync();
    }
}
