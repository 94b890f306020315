using Microsoft.EntityFrameworkCore;
using Npgsql;
using NowOnline.Core.Persistence;
using NowOnline.Tests.Support;

namespace NowOnline.Tests.Cluster;

/// <summary>
/// The PostgreSQL event log's ordering guarantee, the hard part of several writers: writers on separate connections
/// (as separate nodes) append concurrently while a tailer follows the log; the tailer sees every acknowledged event
/// exactly once, in one increasing order, and never has to look back.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class EventLogOrderTests(PostgresServer postgres)
{
    [Fact]
    public async Task Tailer_sees_every_event_of_concurrent_writers_once_and_in_order()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        await using (var db = new PostgreSqlNowOnlineDb(new DbContextOptionsBuilder<PostgreSqlNowOnlineDb>().UseNpgsql(connectionString).Options))
            await PostgreSqlStorage.MigrateAsync(db);
        const int writers = 4, groups = 60, perGroup = 7;
        var seen = new List<LoggedEvent>();
        var acknowledged = new System.Collections.Concurrent.ConcurrentBag<long>();
        using var stop = new CancellationTokenSource();
        var tail = PostgreSqlEventLog.TailAsync(connectionString, 0, batch =>
        {
            lock (seen) seen.AddRange(batch);
            return Task.CompletedTask;
        }, TimeSpan.FromSeconds(1), stop.Token);

        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            for (var g = 0; g < groups; g++)
            {
                var events = Enumerable.Range(0, perGroup)
                    .Select(i => new LoggedEvent($"w{w}-g{g}-e{i}", $"s-{w}", $$"""{"writer":{{w}},"group":{{g}},"n":{{i}}}""")).ToList();
                foreach (var sequence in await PostgreSqlEventLog.AppendAsync(connection, events, receivedAtMs: g)) acknowledged.Add(sequence);
            }
        })));

        var total = writers * groups * perGroup;
        await Eventually.TrueAsync(() => { lock (seen) return seen.Count >= total; }, $"the tailer has seen all {total} events");
        await stop.CancelAsync();
        try
        {
            await tail;
        }
        catch (OperationCanceledException)
        {
            // Stopped while waiting for a notification.
        }

        Assert.Equal(total, acknowledged.Count);
        Assert.Equal(total, seen.Count);
        Assert.Equal(acknowledged.Order(), seen.Select(e => e.Sequence));
        Assert.Equal(total, seen.Select(e => e.EventId).Distinct().Count());
        // Each writer's events in the order it appended them: the log's order keeps every writer's order.
        foreach (var writer in seen.GroupBy(e => e.SessionId))
        {
            var appended = writer.Select(e => e.EventId!.Split('-')).Select(p => (Group: int.Parse(p[1][1..]), N: int.Parse(p[2][1..]))).ToList();
            Assert.Equal(appended.Order(), appended);
        }
    }
}
