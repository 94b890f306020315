using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using NowOnline.Tests.Support;
using Xunit.Abstractions;

namespace NowOnline.Tests.Persistence;

/// <summary>The app as a child process, killed with SIGKILL while several storefront clients stream events at it.</summary>
public sealed class CrashTests(ITestOutputHelper output)
{
    private const int Clients = 4;

    /// <summary>One request: two cart_add events of unique skus on the client's own visitor session.</summary>
    private sealed record Batch(int Client, string[] EventIds)
    {
        public string Session => $"crash-c{Client}";

        public object Body => EventIds.Select(id => new { eventId = id, type = "cart_add", sessionId = Session, item = new { sku = id, qty = 1 } }).ToArray();
    }

    [Fact]
    public async Task Every_acknowledged_event_survives_a_SIGKILL_and_none_is_applied_twice()
    {
        using var folder = new TempFolder();
        var database = folder.File("crash.db");
        var acknowledged = new ConcurrentBag<Batch>();
        var attempted = new ConcurrentBag<Batch>();
        var unexpected = new ConcurrentBag<string>();

        using (var first = AppProcess.Start(database))
        {
            await first.WaitUntilHealthyAsync();
            var senders = Enumerable.Range(0, Clients).Select(client => Task.Run(async () =>
            {
                using var http = first.Storefront();
                for (var i = 0; ; i++)
                {
                    var batch = new Batch(client, [$"c{client}-{i}-a", $"c{client}-{i}-b"]);
                    attempted.Add(batch);
                    try
                    {
                        var response = await http.PostAsJsonAsync("/api/activity", batch.Body);
                        if (response.StatusCode == HttpStatusCode.Accepted) acknowledged.Add(batch);
                        else unexpected.Add($"{batch.EventIds[0]}: {(int)response.StatusCode}");
                    }
                    catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                    {
                        return; // the process is gone: this request's outcome is unknown to the client
                    }
                }
            })).ToArray();

            await Eventually.TrueAsync(() => acknowledged.Count >= 300, "300 requests are acknowledged", seconds: 120);
            first.Kill();
            await Task.WhenAll(senders);
        }

        Assert.Empty(unexpected);
        using var second = AppProcess.Start(database);
        await second.WaitUntilHealthyAsync();

        // Every acknowledged event is in the log; a request cut off by the kill is stored whole or not at all.
        var stored = (await ColumnAsync(database, "SELECT EventId FROM ActivityEvents WHERE EventId IS NOT NULL")).ToHashSet();
        Assert.All(acknowledged.SelectMany(b => b.EventIds), id => Assert.Contains(id, stored));
        output.WriteLine($"requests sent {attempted.Count}, acknowledged {acknowledged.Count}; events in the log after the kill {stored.Count}");
        Assert.All(attempted, b => Assert.True(b.EventIds.All(stored.Contains) || !b.EventIds.Any(stored.Contains),
            $"request {b.EventIds[0]} was stored in part"));

        // ... and reflected in what the restarted app shows: each client's session is online with every stored sku once.
        using var storefront = second.Storefront();
        var online = await storefront.GetFromJsonAsync<JsonElement>("/api/online?take=200");
        var sessions = online.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("sessionId").GetString()).ToHashSet();
        Assert.All(Enumerable.Range(0, Clients), c => Assert.Contains($"crash-c{c}", sessions));
        await AssertCartsAsync(database, stored);

        // Sending everything again: acknowledged events come back as duplicates, the rest is applied now, nothing twice.
        foreach (var batch in attempted)
        {
            var reply = await (await storefront.PostAsJsonAsync("/api/activity", batch.Body)).Content.ReadFromJsonAsync<JsonElement>();
            var wasStored = stored.Contains(batch.EventIds[0]);
            Assert.Equal(wasStored ? (0, 2) : (2, 0), (reply.GetProperty("accepted").GetInt32(), reply.GetProperty("duplicates").GetInt32()));
        }

        await AssertCartsAsync(database, attempted.SelectMany(b => b.EventIds).ToHashSet());
        Assert.True(second.Output.Length == 0 || !second.Output.Contains("fail:", StringComparison.Ordinal), second.Output);
    }

    /// <summary>Once the restarted app has checkpointed, each client's cart holds exactly the expected skus, each with quantity 1.</summary>
    private static async Task AssertCartsAsync(string database, IReadOnlySet<string> expected)
    {
        await Eventually.TrueAsync(async () =>
        {
            var marks = await ColumnAsync(database,
                "SELECT CASE WHEN (SELECT COALESCE(MAX(Sequence), 0) FROM Checkpoints) >= (SELECT MAX(Sequence) FROM ActivityEvents) THEN 'y' ELSE 'n' END");
            return marks[0] == "y";
        }, "the restarted app checkpoints everything it replayed");

        var lines = await ColumnAsync(database, "SELECT Owner || '|' || Sku || '|' || Qty FROM CartItems WHERE Owner LIKE 's:crash-c%'");
        var expectedLines = expected.Select(id => $"s:crash-c{id[1..id.IndexOf('-')]}|{id}|1").Order(StringComparer.Ordinal);
        Assert.Equal(expectedLines, lines.Order(StringComparer.Ordinal));
    }

    private static async Task<List<string>> ColumnAsync(string database, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={database};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync()) values.Add(Convert.ToString(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture)!);
        return values;
    }
}
