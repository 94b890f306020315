using NowOnline.Core.Presence;
using NowOnline.Core.SessionData;
using NowOnline.Core.Settings;
using NowOnline.Tests.Support;

namespace NowOnline.Tests.Core;

/// <summary>The shoppers' unsaved data expires Customer Data Lifetime after its last write (fake clock, real SQLite file).</summary>
public sealed class SessionDataStoreTests : IDisposable
{
    private readonly CoreDatabase _database = new();
    private readonly FakeClock _clock = new();
    private readonly SettingsService _settings;
    private readonly SessionDataStore _store;

    public SessionDataStoreTests()
    {
        _settings = new SettingsService(_database.Contexts, TrackerFactory.Create(_clock), _clock);
        _settings.LoadAsync().GetAwaiter().GetResult();
        _store = new SessionDataStore(_database.Contexts, _settings, _clock);
    }

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task Data_is_there_until_the_last_millisecond_of_its_lifetime()
    {
        var saved = await _store.PutAsync("s-1", """{"draft":"hello"}""");

        _clock.Advance(TimeSpan.FromMinutes(60) - TimeSpan.FromMilliseconds(1));
        var read = await _store.GetAsync("s-1");

        Assert.Equal("""{"draft":"hello"}""", read?.Json);
        Assert.Equal(saved.UpdatedAt.AddMinutes(60), read?.ExpiresAt);
    }

    [Fact]
    public async Task Data_is_gone_exactly_at_the_end_of_its_lifetime_even_before_the_purge()
    {
        await _store.PutAsync("s-1", """{"draft":"hello"}""");

        _clock.Advance(TimeSpan.FromMinutes(60));

        Assert.Null(await _store.GetAsync("s-1"));
        Assert.Equal(1, await _store.CountStoredAsync());
    }

    [Fact]
    public async Task Writing_again_starts_the_lifetime_again()
    {
        await _store.PutAsync("s-1", """{"step":1}""");
        _clock.Advance(TimeSpan.FromMinutes(50));
        await _store.PutAsync("s-1", """{"step":2}""");

        _clock.Advance(TimeSpan.FromMinutes(50));

        Assert.Equal("""{"step":2}""", (await _store.GetAsync("s-1"))?.Json);
    }

    [Fact]
    public async Task A_shorter_lifetime_applies_to_stored_data_at_once()
    {
        await _store.PutAsync("s-1", """{"draft":"hello"}""");
        _clock.Advance(TimeSpan.FromMinutes(10));

        await _settings.SaveAsync(new OnlineSettings(15, 10), 0, "ada@example.com");

        Assert.Null(await _store.GetAsync("s-1"));
    }

    [Fact]
    public async Task Purge_deletes_only_expired_data_in_batches()
    {
        for (var i = 0; i < 25; i++) await _store.PutAsync($"old-{i}", "{}");
        _clock.Advance(TimeSpan.FromMinutes(30));
        for (var i = 0; i < 5; i++) await _store.PutAsync($"fresh-{i}", "{}");
        _clock.Advance(TimeSpan.FromMinutes(30));

        var firstBatch = await _store.PurgeBatchAsync(batchSize: 10);
        var rest = await _store.PurgeExpiredAsync(batchSize: 10);

        Assert.Equal((10, 15), (firstBatch, rest));
        Assert.Equal(5, await _store.CountStoredAsync());
        Assert.NotNull(await _store.GetAsync("fresh-4"));
        Assert.Equal(0, await _store.PurgeExpiredAsync(batchSize: 10));
    }

    [Fact]
    public async Task Delete_forgets_the_data()
    {
        await _store.PutAsync("s-1", "{}");

        Assert.True(await _store.DeleteAsync("s-1"));
        Assert.False(await _store.DeleteAsync("s-1"));
        Assert.Null(await _store.GetAsync("s-1"));
    }
}
