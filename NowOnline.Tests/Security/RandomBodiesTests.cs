using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using NowOnline.Tests.Support;
using Xunit.Abstractions;

namespace NowOnline.Tests.Security;

/// <summary>
/// A bounded, seeded loop of generated bodies (valid events mutated in random ways, some then cut or corrupted as
/// text): the server never answers 500, and every batch is stored whole (202) or not at all (4xx).
/// </summary>
public sealed class RandomBodiesTests(HostileInputFixture fixture, ITestOutputHelper output) : IClassFixture<HostileInputFixture>
{
    private const int Seed = 20261124;
    private const int Bodies = 400;

    private static readonly string[] Types = ["login", "register", "logout", "cart_add", "cart_remove", "cart_update", "page_view"];

    private static readonly JsonNode?[] OddValues =
    [
        null, "", " ", "\u0000", "\u202Eevil", "<script>alert(1)</script>", "'; DROP TABLE Sessions;--", new string('x', 3000),
        "😀", "\uD83D\uDE00\u0301", -1, 0, 1.5, long.MaxValue, 1e300, true, new JsonArray(), new JsonObject(),
        "javascript:alert(1)", "https://shop.example/ok", "2026-11-22T11:00:00", "9999-12-31T23:59:59Z", "ada@example.com", "not-an-email",
    ];

    private static readonly string[] Fields = ["type", "sessionId", "eventId", "customer", "url", "occurredAt", "item", "store", "userAgent"];

    [Fact]
    public async Task Generated_bodies_never_get_500_and_a_batch_is_stored_whole_or_not_at_all()
    {
        var random = new Random(Seed);
        var outcomes = new Dictionary<int, int>();
        for (var i = 0; i < Bodies; i++)
        {
            var size = random.Next(1, 6);
            var batch = new JsonArray();
            for (var j = 0; j < size; j++) batch.Add(Mutate(ValidEvent(random, $"r{i}-{j}"), random));
            var text = size == 1 && random.Next(2) == 0 ? batch[0]!.ToJsonString() : batch.ToJsonString();
            if (random.Next(8) == 0) text = Corrupt(text, random);
            var storedBefore = await fixture.CountRowsAsync("ActivityEvents");
            var onlineBefore = await fixture.OnlineTotalAsync();

            using var response = await fixture.Storefront.PostAsync("/api/activity", new StringContent(text, Encoding.UTF8, "application/json"));

            var status = (int)response.StatusCode;
            outcomes[status] = outcomes.GetValueOrDefault(status) + 1;
            Assert.True(status is 202 or 400, $"body {i} got {status}: {Shorten(text)}");
            var stored = await fixture.CountRowsAsync("ActivityEvents") - storedBefore;
            if (status == 202)
            {
                var reply = await response.Content.ReadFromJsonAsync<JsonElement>();
                var events = text.TrimStart().StartsWith('[') ? size : 1;
                Assert.Equal(events, reply.GetProperty("accepted").GetInt32() + reply.GetProperty("ignored").GetInt32());
                Assert.Equal(reply.GetProperty("accepted").GetInt32(), stored);
            }
            else
            {
                Assert.Equal(0, stored);
                Assert.Equal(onlineBefore, await fixture.OnlineTotalAsync());
            }
        }

        output.WriteLine(string.Join(", ", outcomes.OrderBy(o => o.Key).Select(o => $"{o.Key}: {o.Value}")));
        Assert.True(outcomes.GetValueOrDefault(202) > 0 && outcomes.GetValueOrDefault(400) > 0, "the generator should produce both outcomes");
    }

    private static JsonObject ValidEvent(Random random, string session)
    {
        var type = Types[random.Next(Types.Length)];
        var item = new JsonObject
        {
            ["type"] = type,
            ["sessionId"] = session,
            ["url"] = "https://shop.example/p/" + random.Next(1000),
            ["occurredAt"] = DateTimeOffset.UtcNow.AddSeconds(-random.Next(300)).ToString("O"),
            ["store"] = "default",
        };
        if (type is "login" or "register")
            item["customer"] = new JsonObject { ["id"] = random.Next(1, 50), ["firstName"] = "Ada", ["email"] = "ada@example.com" };
        if (type.StartsWith("cart_", StringComparison.Ordinal))
            item["item"] = new JsonObject { ["sku"] = "SKU-" + random.Next(20), ["qty"] = type == "cart_remove" ? 0 : random.Next(1, 5) };
        return item;
    }

    private static JsonObject Mutate(JsonObject item, Random random)
    {
        var mutations = random.Next(3); // a third of the events stay valid
        for (var m = 0; m < mutations; m++)
        {
            var field = Fields[random.Next(Fields.Length)];
            switch (random.Next(4))
            {
                case 0:
                    item.Remove(field);
                    break;
                case 1:
                    item[field] = OddValues[random.Next(OddValues.Length)]?.DeepClone();
                    break;
                case 2 when item[field] is JsonObject inner:
                    var key = inner.Select(p => p.Key).ElementAtOrDefault(random.Next(Math.Max(1, inner.Count))) ?? "id";
                    inner[key] = OddValues[random.Next(OddValues.Length)]?.DeepClone();
                    break;
                default:
                    item[field] = Nest(random.Next(1, 30));
                    break;
            }
        }

        return item;
    }

    private static JsonNode Nest(int depth)
    {
        JsonNode node = new JsonArray();
        for (var d = 0; d < depth; d++) node = new JsonObject { ["x"] = node };
        return node;
    }

    private static string Corrupt(string text, Random random) => random.Next(3) switch
    {
        0 => text[..random.Next(text.Length)],
        1 => text.Insert(random.Next(text.Length), ((char)random.Next(0, 128)).ToString()),
        _ => text.Replace('"', '\''),
    };

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";
}
