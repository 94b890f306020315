using System.Text.Json;

namespace NowOnline.Load;

/// <summary>Request bodies of 100 storefront events over a pool of sessions (40 % signed-in customers), built before the clock starts.</summary>
public static class Storefront
{
    private static readonly string[] Agents =
    [
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
    ];

    /// <summary>
    /// The load tool's request bodies, the same in every phase and tool (wrk's body file, the paced client, the floor and
    /// the baseline): 2,000 batches of 100 events over 100,000 sessions.
    /// </summary>
    public static List<byte[]> LoadBodies() => Batches(2_000, LoadBatchSize, sessions: 100_000, seed: 5);

    /// <summary>Events in each of <see cref="LoadBodies"/>.</summary>
    public const int LoadBatchSize = 100;

    /// <summary>Writes one batch per line: the body file <c>bench/wrk/batches.lua</c> reads.</summary>
    public static Task WriteLinesAsync(string path, IEnumerable<byte[]> batches) =>
        File.WriteAllLinesAsync(path, batches.Select(b => System.Text.Encoding.UTF8.GetString(b)));

    public static List<byte[]> Batches(int count, int size, int sessions, int seed)
    {
        var random = new Random(seed);
        var batches = new List<byte[]>(count);
        for (var b = 0; b < count; b++)
        {
            var events = new object[size];
            for (var i = 0; i < size; i++) events[i] = Event(random, random.Next(sessions));
            batches.Add(JsonSerializer.SerializeToUtf8Bytes(events));
        }

        return batches;
    }

    private static object Event(Random random, int index)
    {
        var sessionId = $"load-{index}";
        var url = $"https://shop.example/catalog/product/view/id/{random.Next(5000)}";
        var agent = Agents[index % Agents.Length];
        var eventId = Guid.NewGuid().ToString("N");
        if (index % 10 < 4 && random.Next(10) == 0)
            return new
            {
                eventId, type = "login", sessionId, url, userAgent = agent, store = "default",
                customer = new { id = 500_000 + index, firstName = "Ada", lastName = $"Lovelace{index}", email = $"ada{index}@example.com", company = "Analytical Ltd" },
            };
        var roll = random.Next(100);
        if (roll < 10) return new { eventId, type = "page_view", sessionId, url, userAgent = agent };
        return new { eventId, type = roll < 70 ? "cart_add" : "cart_update", sessionId, url, userAgent = agent,
            item = new { sku = $"SKU-{random.Next(900)}", name = "Water bottle", qty = 1 + random.Next(3) } };
    }
}
