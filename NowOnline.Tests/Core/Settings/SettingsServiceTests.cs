using NowOnline.Core.Presence;
using NowOnline.Core.Settings;
using NowOnline.Tests.Support;
using static NowOnline.Tests.Support.Events;

namespace NowOnline.Tests.Core.Settings;

/// <summary>Saving the settings against a real SQLite file: audit, optimistic concurrency, and the tracker following at once.</summary>
public sealed class SettingsServiceTests : IDisposable
{
    private readonly CoreDatabase _database = new();
    private readonly FakeClock _clock = new();
    private readonly PresenceTracker _tracker;
    private readonly SettingsService _settings;

    public SettingsServiceTests()
    {
        _tracker = TrackerFactory.Create(_clock);
        _settings = new SettingsService(_database.Contexts, _tracker, _clock);
        _settings.LoadAsync().GetAwaiter().GetResult();
    }

    public void Dispose() => _database.Dispose();

    private DateTimeOffset Now => _clock.GetUtcNow();

    private IEnumerable<string> OnlineKeys() => _tracker.Query(new OnlineQuery { Take = 100 }).Items.Select(r => r.Key).Order();

    [Fact]
    public async Task Nothing_saved_yet_means_the_defaults_at_version_zero()
    {
        Assert.Equal(new OnlineSettings(15, 60), _settings.Current.Settings);
        Assert.Equal(0, _settings.Current.Version);
        Assert.Empty(await _settings.GetHistoryAsync());
    }

    [Fact]
    public async Task Each_save_is_audited_with_who_when_and_the_old_and_new_values()
    {
        await _settings.SaveAsync(new OnlineSettings(5, 60), 0, "ada@example.com");
        _clock.Advance(TimeSpan.FromMinutes(3));

        var result = await _settings.SaveAsync(new OnlineSettings(5, 120), 1, "grace@example.com");

        Assert.Equal(SettingsSaveOutcome.Saved, result.Outcome);
        var history = await _settings.GetHistoryAsync();
        Assert.Equal(2, history.Count);
        Assert.Equal(new SettingsChange(2, Now, "grace@example.com", new OnlineSettings(5, 60), new OnlineSettings(5, 120)), history[0]);
        Assert.Equal(new SettingsChange(1, Now.AddMinutes(-3), "ada@example.com", new OnlineSettings(15, 60), new OnlineSettings(5, 60)), history[1]);
    }

    [Fact]
    public async Task Saved_settings_are_there_after_a_restart()
    {
        await _settings.SaveAsync(new OnlineSettings(30, 90), 0, "ada@example.com");

        var restarted = new SettingsService(_database.Contexts, TrackerFactory.Create(_clock), _clock);
        await restarted.LoadAsync();

        Assert.Equal(new VersionedSettings(new OnlineSettings(30, 90), 1, Now, "ada@example.com"), restarted.Current);
    }

    [Fact]
    public async Task Save_based_on_an_old_version_is_refused_and_tells_who_saved_in_between()
    {
        await _settings.SaveAsync(new OnlineSettings(5, 60), 0, "ada@example.com");

        var late = await _settings.SaveAsync(new OnlineSettings(45, 60), 0, "grace@example.com");

        Assert.Equal(SettingsSaveOutcome.Conflict, late.Outcome);
        Assert.Equal(("ada@example.com", 5, 1L), (late.Current.UpdatedBy, late.Current.Settings.OnlineMinutesInterval, late.Current.Version));
        Assert.Equal(5, _settings.Current.Settings.OnlineMinutesInterval);
        Assert.Single(await _settings.GetHistoryAsync());
    }

    [Fact]
    public async Task Two_admins_saving_the_same_version_at_once_do_not_both_win()
    {
        var saves = await Task.WhenAll(
            Task.Run(() => _settings.SaveAsync(new OnlineSettings(5, 60), 0, "ada@example.com")),
            Task.Run(() => _settings.SaveAsync(new OnlineSettings(45, 60), 0, "grace@example.com")));

        Assert.Equal([SettingsSaveOutcome.Saved, SettingsSaveOutcome.Conflict], saves.Select(s => s.Outcome).Order());
        var winner = saves.Single(s => s.Outcome == SettingsSaveOutcome.Saved).Current;
        Assert.Equal(winner, _settings.Current);
        Assert.Single(await _settings.GetHistoryAsync());
    }

    [Fact]
    public async Task Two_services_on_one_database_do_not_overwrite_each_other()
    {
        var other = new SettingsService(_database.Contexts, TrackerFactory.Create(_clock), _clock);
        await other.LoadAsync();
        await other.SaveAsync(new OnlineSettings(20, 60), 0, "grace@example.com");

        var result = await _settings.SaveAsync(new OnlineSettings(5, 60), 0, "ada@example.com");

        Assert.Equal(SettingsSaveOutcome.Conflict, result.Outcome);
        Assert.Equal("grace@example.com", result.Current.UpdatedBy);
        Assert.Equal(TimeSpan.FromMinutes(20), _tracker.Interval);
    }

    [Fact]
    public async Task Saving_the_values_already_saved_records_nothing()
    {
        var result = await _settings.SaveAsync(new OnlineSettings(15, 60), 0, "ada@example.com");

        Assert.Equal(SettingsSaveOutcome.Unchanged, result.Outcome);
        Assert.Equal(0, _settings.Current.Version);
        Assert.Empty(await _settings.GetHistoryAsync());
    }

    [Fact]
    public async Task Save_without_a_name_is_audited_as_unknown()
    {
        await _settings.SaveAsync(new OnlineSettings(5, 60), 0, "  ");

        Assert.Equal("unknown", (await _settings.GetHistoryAsync())[0].ChangedBy);
    }

    [Fact]
    public async Task Saved_interval_re_evaluates_the_online_list_at_once()
    {
        _tracker.Apply([CartAdd("old", Now.AddMinutes(-10)), CartAdd("new", Now.AddMinutes(-2))]);
        Assert.Equal(["v:new", "v:old"], OnlineKeys());

        await _settings.SaveAsync(new OnlineSettings(5, 60), 0, "ada@example.com");
        Assert.Equal(["v:new"], OnlineKeys());

        await _settings.SaveAsync(new OnlineSettings(15, 60), 1, "ada@example.com");
        Assert.Equal(["v:new", "v:old"], OnlineKeys());
    }

    [Fact]
    public async Task Expiry_schedule_follows_the_saved_interval_to_the_millisecond()
    {
        _tracker.Apply([CartAdd("s-1", Now)]);
        await _settings.SaveAsync(new OnlineSettings(5, 60), 0, "ada@example.com");

        _clock.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromMilliseconds(1));
        _tracker.ExpireDue();
        Assert.Equal(["v:s-1"], OnlineKeys());
        Assert.True(_tracker.GetSession("s-1")!.Online);

        _clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, _tracker.ExpireDue());
        Assert.Empty(OnlineKeys());
        Assert.False(_tracker.GetSession("s-1")!.Online);
    }

    [Fact]
    public async Task Changed_is_raised_with_the_saved_settings()
    {
        VersionedSettings? seen = null;
        _settings.Changed += s => seen = s;

        await _settings.SaveAsync(new OnlineSettings(5, 90), 0, "ada@example.com");

        Assert.Equal(new OnlineSettings(5, 90), seen?.Settings);
        Assert.Equal(1, seen?.Version);
    }
}
