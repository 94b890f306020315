using Microsoft.Data.Sqlite;
using NowOnline.Core.Ingestion;
using NowOnline.Core.Persistence;
using NowOnline.Tests.Support;
using static NowOnline.Tests.Support.Events;

namespace NowOnline.Tests.Persistence;

/// <summary>
/// The writer's set of ids logged after the checkpoint mark, kept as 64-bit hashes and confirmed against the real log: a
/// hash hit is a duplicate only when the log row it points at holds the same id.
/// </summary>
public sealed class UnfoldedEventIdsTests : IDisposable
{
    private static readonly DateTimeOffset At = DateTimeOffset.UnixEpoch.AddYears(56);
    private readonly CoreDatabase _database = new();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _database.Dispose();
    }

    /// <summary>Logs the ids (sequences 1, 2, ...) with a writer of their own, then hands the open connection to the test.</summary>
    private async Task WithLogAsync(string[] ids, Action<SqliteConnection> act)
    {
        await using var connection = await _database.Sqlite.OpenAsync();
        using (var writer = new ActivityLogWriter(connection))
            writer.Append(StoredEvent.Encode(ids.Select(id => CartAdd("v-1", At, eventId: id)).ToArray()), At);
        act(connection);
    }

    private static ulong Spread(long sequence) => unchecked((ulong)sequence * 0x9E3779B97F4A7C15UL);

    [Fact]
    public async Task An_added_id_is_found_and_an_id_never_added_is_not()
    {
        await WithLogAsync(["e-1", "e-2"], connection =>
        {
            using var set = new UnfoldedEventIds(connection, id => (ulong)id.GetHashCode(StringComparison.Ordinal));
            set.Add(11, 1);

            Assert.True(set.Contains(11, "e-1"));
            Assert.False(set.Contains(22, "e-2"));
            Assert.Equal(1, set.Count);
        });
    }

    [Fact]
    public async Task An_id_with_the_same_hash_as_a_logged_one_is_not_found_because_the_log_row_holds_another_id()
    {
        await WithLogAsync(["e-1", "e-2"], connection =>
        {
            using var set = new UnfoldedEventIds(connection, _ => 7);
            set.Add(7, 1);

            Assert.False(set.Contains(7, "e-new"));
            set.Add(7, 2);
            Assert.True(set.Contains(7, "e-1"));
            Assert.True(set.Contains(7, "e-2"));
            Assert.False(set.Contains(7, "e-new"));
        });
    }

    [Fact]
    public async Task Forgetting_up_to_a_sequence_keeps_the_ids_logged_after_it_and_they_stay_findable_after_growth()
    {
        var ids = Enumerable.Range(1, 5000).Select(i => $"e-{i}").ToArray();
        await WithLogAsync(ids, connection =>
        {
            // Every id in the same probe chain: forgotten slots must not cut the chain.
            using var set = new UnfoldedEventIds(connection, _ => 3);
            for (var s = 1; s <= 100; s++) set.Add(3, s);
            set.ForgetUpTo(60);

            Assert.Equal(40, set.Count);
            Assert.False(set.Contains(3, "e-60"));
            Assert.True(set.Contains(3, "e-61"));
            Assert.True(set.Contains(3, "e-100"));

            // Spread hashes, enough to grow the table several times over the forgotten slots.
            for (var s = 101; s <= 5000; s++) set.Add(Spread(s), s);
            Assert.Equal(4940, set.Count);
            Assert.True(set.Contains(3, "e-61"));
            Assert.True(set.Contains(Spread(4321), "e-4321"));
            set.ForgetUpTo(5000);
            Assert.Equal(0, set.Count);
            Assert.False(set.Contains(Spread(4321), "e-4321"));
        });
    }

    [Fact]
    public async Task Read_from_the_log_it_holds_exactly_the_ids_after_the_mark()
    {
        await WithLogAsync(["e-1", "e-2", "e-3"], connection =>
        {
            var filter = new EventIdFilter(64 * 1024, TimeSpan.FromHours(1), At.UtcTicks);
            using var set = new UnfoldedEventIds(connection, filter.Hash);
            set.Add(filter.Hash("stale"), 1);
            set.ReadFromLog(mark: 1);

            Assert.Equal(2, set.Count);
            Assert.False(set.Contains(filter.Hash("e-1"), "e-1"));
            Assert.True(set.Contains(filter.Hash("e-2"), "e-2"));
            Assert.True(set.Contains(filter.Hash("e-3"), "e-3"));
        });
    }

    [Fact]
    public async Task Memory_per_id_stays_at_most_about_43_bytes_while_the_set_grows()
    {
        var ids = Enumerable.Range(1, 100).Select(i => $"e-{i}").ToArray();
        await WithLogAsync(ids, connection =>
        {
            using var set = new UnfoldedEventIds(connection, _ => 0);
            var worst = 0.0;
            for (var s = 1; s <= 100_000; s++)
            {
                set.Add(Spread(s), s);
                if (s >= 1000) worst = Math.Max(worst, set.Bytes / (double)set.Count);
            }

            Assert.InRange(worst, 16, 43);
        });
    }

    [Fact]
    public async Task After_a_burst_is_filed_the_set_gives_its_memory_back_and_still_holds_the_ids_logged_since()
    {
        var ids = Enumerable.Range(1, 100).Select(i => $"e-{i}").ToArray();
        await WithLogAsync(ids, connection =>
        {
            using var set = new UnfoldedEventIds(connection, _ => 0);
            var empty = set.Bytes;
            for (var s = 1; s <= 200_000; s++) set.Add(Spread(s), s);
            var burst = set.Bytes;

            set.ForgetUpTo(199_990); // a checkpoint filed all but the last ten
            Assert.Equal(10, set.Count);
            Assert.Equal(empty, set.Bytes);
            Assert.True(burst >= 100 * empty, $"the burst took {burst} bytes");
            for (var s = 200_001; s <= 200_010; s++) set.Add(Spread(s), s); // and the set goes on as before
            Assert.Equal(20, set.Count);

            set.ForgetUpTo(200_010);
            Assert.Equal(0, set.Count);
            Assert.Equal(empty, set.Bytes);
        });
    }
}
