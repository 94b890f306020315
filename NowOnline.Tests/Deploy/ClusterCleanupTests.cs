using Microsoft.Extensions.Hosting;
using Npgsql;
using NowOnline.Core.Presence;
using NowOnline.Core.Retention;
using NowOnline.Core.SessionData;
using NowOnline.Core.Trend;
using NowOnline.Tests.Cluster;
using NowOnline.Tests.Support;

namespace NowOnline.Tests.Deploy;

/// <summary>
/// Two nodes on one PostgreSQL: the session-data purge and retention run on one node only (the holder of the cleanup
/// lease, a PostgreSQL advisory lock), and on the other as soon as the first one is gone.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ClusterCleanupTests(PostgresServer postgres) : IAsyncLifetime
{
    private const int PerWave = 5;
    private ClusterNodes _cluster = default!;

    public async Task InitializeAsync() => _cluster = await ClusterNodes.CreateAsync(postgres);

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private Task<TestApp> StartNodeAsync(string name) => _cluster.StartAsync(name, new Dictionary<string, string?>
    {
        ["SessionData:PurgeIntervalSeconds"] = "1",
        ["Retention:IntervalSeconds"] = "1",
    });

    private static SessionDataPurger Purger(TestApp node) => node.Services.GetRequiredService<SessionDataPurger>();

    [Fact]
    public async Task Both_nodes_chart_the_same_minute_and_only_the_lease_holder_stores_it()
    {
        var a = await StartNodeAsync("a");
        var b = await StartNodeAsync("b");
        await Eventually.TrueAsync(() => new[] { a, b }.Count(n => n.Services.GetRequiredService<ICleanupLease>().IsHeld) == 1,
            "one node holds the cleanup lease");

        var events = StorefrontEvents.Untagged();
        var posted = await a.Storefront().PostEventAsync(new[] { events.CartAdd("trend-1"), events.CartAdd("trend-2"), events.CartAdd("trend-3") });
        Assert.Equal(System.Net.HttpStatusCode.Accepted, posted.StatusCode);
        await Eventually.TrueAsync(() => b.Services.GetRequiredService<PresenceTracker>().AppliedSequence >= 3, "node b applied the events");

        var fromA = await a.Services.GetRequiredService<TrendSampler>().SampleAsync();
        var fromB = await b.Services.GetRequiredService<TrendSampler>().SampleAsync();

        // Each node counts the three events for its own chart; stored by both, the minute's row would say six.
        Assert.Contains(a.Services.GetRequiredService<TrendHistory>().Points, p => p.AtMs == fromA.AtMs);
        Assert.Contains(b.Services.GetRequiredService<TrendHistory>().Points, p => p.AtMs == fromB.AtMs);
        await using var connection = new NpgsqlConnection(_cluster.ConnectionString);
        await connection.OpenAsync();
        await using var stored = new NpgsqlCommand("""SELECT COALESCE(SUM("Events"), 0) FROM "TrendPoints" WHERE "AtMs" >= @at""", connection);
        stored.Parameters.AddWithValue("at", Math.Min(fromA.AtMs, fromB.AtMs));
        Assert.Equal(3L, Convert.ToInt64(await stored.ExecuteScalarAsync()));
    }

    [Fact]
    public async Task Expired_session_data_is_purged_by_one_node_and_by_the_other_once_that_node_is_gone()
    {
        var a = await StartNodeAsync("a");
        var b = await StartNodeAsync("b");

        // Several waves, each purged before the next is written: two nodes purging on their own timers would share them.
        for (var wave = 1; wave <= 4; wave++)
        {
            await WriteExpiredAsync($"wave-{wave}");
            var expected = wave * PerWave;
            await Eventually.TrueAsync(() => Purger(a).Purged + Purger(b).Purged == expected, $"wave {wave} is purged");
        }

        var (holder, other) = Purger(a).Purged > 0 ? (a, b) : (b, a);
        Assert.Equal((4L * PerWave, 0L), (Purger(holder).Purged, Purger(other).Purged));
        Assert.Equal((true, false), (holder.Services.GetRequiredService<ICleanupLease>().IsHeld, other.Services.GetRequiredService<ICleanupLease>().IsHeld));

        await holder.StopAsync();
        await WriteExpiredAsync("after-stop");

        await Eventually.TrueAsync(() => Purger(other).Purged == PerWave, "the remaining node purges");
        Assert.Equal(0L, await StoredAsync());
        Assert.True(other.Services.GetRequiredService<ICleanupLease>().IsHeld);
    }

    [Fact]
    public async Task A_holder_whose_connection_is_cut_gives_the_lease_up_and_the_purge_goes_on()
    {
        var a = await StartNodeAsync("a");
        var b = await StartNodeAsync("b");
        await WriteExpiredAsync("before-cut");
        await Eventually.TrueAsync(() => Purger(a).Purged + Purger(b).Purged == PerWave, "the first wave is purged");
        var holder = await LeaseBackendAsync();
        Assert.NotNull(holder);

        await using (var connection = new NpgsqlConnection(_cluster.ConnectionString))
        {
            await connection.OpenAsync();
            await using var cut = new NpgsqlCommand($"SELECT pg_terminate_backend({holder})", connection);
            await cut.ExecuteScalarAsync();
        }

        await WriteExpiredAsync("after-cut");
        await Eventually.TrueAsync(() => Purger(a).Purged + Purger(b).Purged == 2 * PerWave, "the wave after the cut is purged");
        await Eventually.TrueAsync(async () => await LeaseBackendAsync() is { } pid && pid != holder, "a new session holds the lease");
        await Eventually.TrueAsync(() => new[] { a, b }.Count(n => n.Services.GetRequiredService<ICleanupLease>().IsHeld) == 1,
            "exactly one node believes it holds the lease");
    }

    [Fact]
    public async Task Retention_rounds_run_on_one_node_only()
    {
        var a = await StartNodeAsync("a");
        var b = await StartNodeAsync("b");
        RetentionWorker Worker(TestApp node) => node.Services.GetRequiredService<RetentionWorker>();

        // Both nodes try every second once both run: four rounds after that, two nodes on their own would share them.
        var before = (A: Worker(a).Rounds, B: Worker(b).Rounds);
        await Eventually.TrueAsync(() => Worker(a).Rounds + Worker(b).Rounds >= before.A + before.B + 4, "four more retention rounds run");

        var more = (A: Worker(a).Rounds - before.A, B: Worker(b).Rounds - before.B);
        Assert.Equal(0, Math.Min(more.A, more.B));
    }

    /// <summary>Session data written long ago (its last write at 1970), so it is expired under any lifetime.</summary>
    private async Task WriteExpiredAsync(string prefix)
    {
        await using var connection = new NpgsqlConnection(_cluster.ConnectionString);
        await connection.OpenAsync();
        for (var i = 0; i < PerWave; i++)
        {
            await using var insert = new NpgsqlCommand(
                """INSERT INTO "SessionData" ("SessionId", "Json", "UpdatedAtMs") VALUES (@id, '{}', 0)""", connection);
            insert.Parameters.AddWithValue("id", $"{prefix}-{i}");
            await insert.ExecuteNonQueryAsync();
        }
    }

    /// <summary>The server process of the session that holds the cleanup lease, or null when nobody does.</summary>
    private async Task<int?> LeaseBackendAsync()
    {
        await using var connection = new NpgsqlConnection(_cluster.ConnectionString);
        await connection.OpenAsync();
        // A bigint advisory key shows in pg_locks as its high and low 32 bits.
        await using var find = new NpgsqlCommand(
            "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND classid::bigint = @high AND objid::bigint = @low AND objsubid = 1 AND granted", connection);
        find.Parameters.AddWithValue("high", (long)(uint)(PostgreSqlCleanupLease.LockKey >> 32));
        find.Parameters.AddWithValue("low", (long)(uint)(PostgreSqlCleanupLease.LockKey & 0xFFFF_FFFF));
        return await find.ExecuteScalarAsync() as int?;
    }

    private async Task<long> StoredAsync()
    {
        await using var connection = new NpgsqlConnection(_cluster.ConnectionString);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("""SELECT COUNT(*) FROM "SessionData" """, connection);
        return (long)(await count.ExecuteScalarAsync())!;
    }
}
