using System.Net;
using System.Net.Sockets;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using NowOnline.Tests.Support;

namespace NowOnline.Tests.Api;

/// <summary>
/// POST /api/activity and GET /api/online against the real app on Kestrel, shared with the other API tests: each test
/// reads back only its own rows (its shop's tag as the search).
/// </summary>
[Collection(SharedApiApp.Name)]
public sealed class ActivityApiTests(SharedApp shared) : IDisposable
{
    private readonly TestApp _app = shared.App;
    private readonly HttpClient _storefront = shared.App.Storefront();
    private readonly StorefrontEvents _shop = StorefrontEvents.Tagged();
    private readonly long _ada = StorefrontEvents.NewCustomerId();

    public void Dispose() => _storefront.Dispose();

    private ActivityBody Login(string session, long? id = null, string? eventId = null) =>
        _shop.Login(session, id ?? _ada, email: "ada@example.com", eventId: eventId);

    /// <summary>GET /api/online over this test's own rows.</summary>
    private async Task<JsonElement> OnlineAsync(string query = "")
    {
        var response = await _storefront.GetAsync($"/api/online{(query.Length == 0 ? "?" : query + "&")}search={_shop.Tag}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task Accepted_login_is_listed_online_with_every_column()
    {
        var response = await _storefront.PostEventAsync(Login("s-1"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(1, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accepted").GetInt32());
        var online = await OnlineAsync();
        Assert.Equal(1, online.GetProperty("total").GetInt32());
        var row = online.GetProperty("items")[0];
        Assert.Equal(_shop.SessionId("s-1"), row.GetProperty("sessionId").GetString());
        Assert.Equal(_ada, row.GetProperty("id").GetInt64());
        Assert.Equal("Lovelace", row.GetProperty("lastName").GetString());
        Assert.Equal("ada@example.com", row.GetProperty("email").GetString());
        Assert.Equal("Analytical Ltd", row.GetProperty("company").GetString());
        Assert.Equal("Customer", row.GetProperty("type").GetString());
        Assert.Equal("https://shop.example/customer/account", row.GetProperty("lastUrl").GetString());
        Assert.True(row.GetProperty("lastActivity").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-1));
    }

    [Fact]
    public async Task Batch_is_applied_whole()
    {
        var response = await _storefront.PostEventAsync(new[] { Login("s-1"), _shop.CartAdd("s-2") });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(2, (await OnlineAsync()).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Batch_with_one_bad_item_applies_nothing_and_names_the_item()
    {
        var response = await _storefront.PostEventAsync(new[] { Login("s-1"), _shop.CartAdd("s-2") with { SessionId = "" } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("[1].sessionId", out _));
        Assert.Equal(0, (await OnlineAsync()).GetProperty("total").GetInt32());
    }

    [Theory]
    [InlineData("""{"type":"login","sessionId":"s-1"}""", "customer")]
    [InlineData("""{"type":"teleport","sessionId":"s-1"}""", "type")]
    [InlineData("""{"sessionId":"s-1"}""", "type")]
    [InlineData("""{"type":"cart_add"}""", "sessionId")]
    [InlineData("""{"type":"cart_add","sessionId":"s 1","item":{"sku":"A","qty":1}}""", "sessionId")]
    [InlineData("""{"type":"cart_add","sessionId":"s-1"}""", "item")]
    [InlineData("""{"type":"cart_add","sessionId":"s-1","item":{"sku":"A","qty":-1}}""", "item.qty")]
    [InlineData("""{"type":"cart_add","sessionId":"s-1","item":{"sku":"A","qty":1},"url":"javascript:alert(1)"}""", "url")]
    [InlineData("""{"type":"cart_add","sessionId":"s-1","item":{"sku":"A","qty":1},"occurredAt":"2999-01-01T00:00:00Z"}""", "occurredAt")]
    [InlineData("""{"type":"cart_add","sessionId":"s-1","item":{"sku":"A","qty":1},"occurredAt":"yesterday"}""", "occurredAt")]
    [InlineData("""{"type":"login","sessionId":"s-1","customer":{"id":"42"}}""", "customer.id")]
    [InlineData("""{"type":"login","sessionId":"s-1","customer":{"id":42,"email":"not-an-email"}}""", "customer.email")]
    [InlineData("""[]""", "body")]
    [InlineData("""42""", "body")]
    [InlineData("""{"type":"login","sessionId":""", "body")]
    public async Task Bad_event_is_refused_with_a_message_naming_the_field(string body, string field)
    {
        // Written as raw JSON on purpose (a builder cannot write what is malformed); the session is this test's own.
        var response = await _storefront.PostJsonAsync("/api/activity", body.Replace("\"s-1\"", $"\"{_shop.SessionId("s-1")}\""));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var messages = problem.GetProperty("errors").GetProperty(field);
        Assert.False(string.IsNullOrWhiteSpace(messages[0].GetString()));
        Assert.Equal(0, (await OnlineAsync()).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task A_value_accepted_in_one_field_is_still_checked_in_another_and_a_refused_value_is_refused_every_time()
    {
        // The parser keeps values that passed a field's checks (TextPool), one pool per field: a 100-character product name
        // is fine, the same text as a SKU (at most 64) is not; a user agent may read "javascript:alert(1)", a URL may not.
        var text = "Long-" + new string('n', 95);
        var session = _shop.SessionId("s-1");
        string CartAdd(string sku, string? name = null, string? url = null, string? userAgent = null) =>
            JsonSerializer.Serialize(new { type = "cart_add", sessionId = session, item = new { sku, name, qty = 1 }, url, userAgent },
                new JsonSerializerOptions { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull });

        var accepted = await _storefront.PostJsonAsync("/api/activity", CartAdd("A", name: text, userAgent: "javascript:alert(1)"));
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        for (var attempt = 0; attempt < 2; attempt++)
        {
            await AssertRefused(CartAdd(text), "item.sku");
            await AssertRefused(CartAdd("A", url: "javascript:alert(1)"), "url");
            await AssertRefused(CartAdd("A", url: "https://shop.example/with space"), "url");
        }

        async Task AssertRefused(string body, string field)
        {
            var response = await _storefront.PostJsonAsync("/api/activity", body);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"no message for {field}: {problem}");
        }
    }

    [Fact]
    public async Task Unknown_type_message_lists_the_allowed_types()
    {
        var response = await _storefront.PostJsonAsync("/api/activity", """{"type":"teleport","sessionId":"s-1"}""");

        var message = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("type")[0].GetString();
        Assert.Contains("cart_update", message);
        Assert.Contains("page_view", message);
    }

    [Fact]
    public async Task Missing_key_is_refused_with_401_and_nothing_is_stored()
    {
        var response = await _app.Anonymous().PostEventAsync(Login("s-1"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(0, (await OnlineAsync()).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Wrong_key_is_refused_with_401()
    {
        var client = _app.Anonymous();
        client.DefaultRequestHeaders.Add("X-Api-Key", "not-the-key");

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostEventAsync(Login("s-1"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/online")).StatusCode);
    }

    [Fact]
    public async Task Non_json_body_is_refused_with_415()
    {
        var response = await _storefront.PostAsync("/api/activity", new StringContent("type=login"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task Body_reading_problems_are_worded_for_the_activity_api()
    {
        var notJson = await _storefront.PostAsync("/api/activity", new StringContent("type=login"));
        var empty = await _storefront.PostJsonAsync("/api/activity", "");
        var malformed = await _storefront.PostJsonAsync("/api/activity", "[{\"type\":");
        var tooLarge = await _storefront.PostJsonAsync("/api/activity", "[" + new string(' ', 1_100_000) + "]");

        var unsupported = await notJson.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Send the events as application/json.", unsupported.GetProperty("detail").GetString());
        var emptyReply = await empty.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((HttpStatusCode.BadRequest, "The activity was not accepted; nothing was stored."),
            (empty.StatusCode, emptyReply.GetProperty("title").GetString()));
        Assert.Equal("The body is empty: send one event object or an array of them.",
            emptyReply.GetProperty("errors").GetProperty("body")[0].GetString());
        var malformedReply = await malformed.Content.ReadFromJsonAsync<JsonElement>();
        Assert.StartsWith("The body is not valid JSON (nested at most 16 deep): ",
            malformedReply.GetProperty("errors").GetProperty("body")[0].GetString());
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        Assert.Equal("The body is larger than 1048576 bytes; send smaller batches.",
            (await tooLarge.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Body_that_arrives_in_many_small_pieces_is_read_whole(bool chunked)
    {
        // Kestrel hands the body over as it arrives: five bytes per TCP send, so the reader sees many pipe segments,
        // with names and values split across them.
        var body = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new[] { Login("s-1"), _shop.CartAdd("s-2"), _shop.CartAdd("s-3", sku: "WB-02") },
            JsonSerializerOptions.Web));
        using var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync(_app.BaseAddress.Host, _app.BaseAddress.Port);
        var stream = tcp.GetStream();
        var length = chunked ? "Transfer-Encoding: chunked" : $"Content-Length: {body.Length}";
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"POST /api/activity HTTP/1.1\r\nHost: {_app.BaseAddress.Authority}\r\n" +
            $"X-Api-Key: {TestApp.ApiKey}\r\nContent-Type: application/json\r\n{length}\r\nConnection: close\r\n\r\n"));
        for (var at = 0; at < body.Length; at += 5)
        {
            var piece = body.AsMemory(at, Math.Min(5, body.Length - at));
            if (chunked) await stream.WriteAsync(Encoding.ASCII.GetBytes($"{piece.Length:x}\r\n"));
            await stream.WriteAsync(piece);
            if (chunked) await stream.WriteAsync("\r\n"u8.ToArray());
            await stream.FlushAsync();
            await Task.Delay(1);
        }

        if (chunked) await stream.WriteAsync("0\r\n\r\n"u8.ToArray());
        var reply = await new StreamReader(stream).ReadToEndAsync();

        Assert.StartsWith("HTTP/1.1 202", reply);
        Assert.Contains("\"accepted\":3", reply);
        Assert.Equal(3, (await OnlineAsync()).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Escaped_text_is_stored_as_the_characters_it_encodes()
    {
        var session = _shop.SessionId("s-1");
        var escapedSession = string.Concat(session.Select(c => $"\\u{(int)c:x4}"));
        var json = "{\"\\u0074ype\":\"\\u006cogin\",\"sessionId\":\"" + escapedSession + "\",\"customer\":{\"id\":" + _ada +
                   ",\"lastName\":\"Lov\\u00e9lace \\ud83d\\ude80\",\"email\":\"ada\\u0040example.com\"},\"url\":\"https:\\/\\/shop.example\\/a\"}";

        var response = await _storefront.PostJsonAsync("/api/activity", json);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var row = Assert.Single((await OnlineAsync()).GetProperty("items").EnumerateArray());
        Assert.Equal(session, row.GetProperty("sessionId").GetString());
        Assert.Equal("Lovélace 🚀", row.GetProperty("lastName").GetString());
        Assert.Equal("ada@example.com", row.GetProperty("email").GetString());
        Assert.Equal("https://shop.example/a", row.GetProperty("lastUrl").GetString());
    }

    [Fact]
    public async Task Numbers_and_other_values_where_text_is_expected_are_refused_under_their_paths()
    {
        var json = "[{\"type\":\"page_view\",\"sessionId\":\"s-1\"}," +
                   "{\"type\":\"cart_add\",\"sessionId\":\"s-2\",\"store\":7,\"item\":{\"sku\":5,\"qty\":1}}," +
                   "{\"type\":true,\"sessionId\":[\"s-3\"],\"customer\":{\"id\":1,\"email\":{}}}]";

        var response = await _storefront.PostJsonAsync("/api/activity", json.Replace("\"s-", $"\"{_shop.Tag}-s-"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal(["[1].item.sku", "[1].store", "[2].customer.email", "[2].sessionId", "[2].type"],
            errors.EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal));
        Assert.Equal("The store must be a string.", errors.GetProperty("[1].store")[0].GetString());
        Assert.Equal("The sku must be a string.", errors.GetProperty("[1].item.sku")[0].GetString());
        Assert.Equal("The sessionId must be a string.", errors.GetProperty("[2].sessionId")[0].GetString());
        Assert.StartsWith("Unknown event type true: use one of login, register,", errors.GetProperty("[2].type")[0].GetString());
        Assert.Equal("The email must be a string.", errors.GetProperty("[2].customer.email")[0].GetString());
        Assert.Equal(0, (await OnlineAsync()).GetProperty("total").GetInt32());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Body_up_to_the_size_limit_is_read_and_one_byte_more_is_too_large(bool chunked)
    {
        // With a Content-Length the limit is exact. A chunked body is refused a little before it: Kestrel counts the chunk
        // framing against MaxRequestBodySize (as it did before the body was read from the pipe), so that one fills up to 4 KB less.
        const int limit = 1024 * 1024; // Ingestion:MaxBodyBytes of the shared app
        var json = JsonSerializer.Serialize(_shop.CartAdd("s-1"), JsonSerializerOptions.Web);
        var fits = json + new string(' ', limit - (chunked ? 4096 : 0) - Encoding.UTF8.GetByteCount(json));
        var atLimit = json + new string(' ', limit - Encoding.UTF8.GetByteCount(json));

        var accepted = await PostAsync(fits, chunked);
        var tooLarge = await PostAsync(atLimit + " ", chunked);

        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        Assert.Equal("The body is larger than 1048576 bytes; send smaller batches.",
            (await tooLarge.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        Assert.Equal(1, (await OnlineAsync()).GetProperty("total").GetInt32());
    }

    private async Task<HttpResponseMessage> PostAsync(string json, bool chunked)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/activity")
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        request.Headers.TransferEncodingChunked = chunked;
        return await _storefront.SendAsync(request);
    }

    [Fact]
    public async Task Largest_batch_is_stored_whole_and_one_event_more_is_refused_by_its_count()
    {
        var largest = Enumerable.Range(0, 1000).Select(i => _shop.CartAdd($"s-{i}", qty: i % 7 + 1)).ToArray();
        var tooMany = largest.Append(_shop.CartAdd("s-1000")).Select(e => e with { SessionId = e.SessionId + "-x" }).ToArray();

        var stored = await _storefront.PostEventAsync(largest);
        var refused = await _storefront.PostEventAsync(tooMany);

        Assert.Equal(HttpStatusCode.Accepted, stored.StatusCode);
        Assert.Equal(1000, (await stored.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accepted").GetInt32());
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var errors = (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal("body", Assert.Single(errors.EnumerateObject()).Name);
        Assert.Equal("The batch holds 1001 events; at most 1000 are allowed.", errors.GetProperty("body")[0].GetString());
        Assert.Equal(1000, (await OnlineAsync()).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Property_name_with_a_lone_surrogate_escape_is_refused_as_bad_input()
    {
        // The JsonDocument-based parser threw (a 500) when such a name had the length of a field it looked up.
        var json = "{\"type\":\"page_view\",\"sessionId\":\"s-1\",\"\\ud800\\ud800\\ud800\":1,\"abc\\ud800\":2}";

        var response = await _storefront.PostJsonAsync("/api/activity", json.Replace("\"s-1\"", $"\"{_shop.SessionId("s-1")}\""));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal(["A property name contains broken unicode (a lone surrogate escape).", "A property name contains broken unicode (a lone surrogate escape)."],
            errors.GetProperty("body").EnumerateArray().Select(m => m.GetString()!).ToArray());
        Assert.Equal(0, (await OnlineAsync()).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Repeated_event_id_is_reported_as_a_duplicate()
    {
        await _storefront.PostEventAsync(Login("s-1", eventId: "evt-1"));

        var again = await (await _storefront.PostEventAsync(Login("s-1", eventId: "evt-1"))).Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal((0, 1), (again.GetProperty("accepted").GetInt32(), again.GetProperty("duplicates").GetInt32()));
    }

    [Fact]
    public async Task Online_list_filters_sorts_and_pages_on_the_server()
    {
        long[] ids = [StorefrontEvents.NewCustomerId(), StorefrontEvents.NewCustomerId(), StorefrontEvents.NewCustomerId()];
        await _storefront.PostEventAsync(new[] { Login("s-3", ids[2]), Login("s-1", ids[0]), Login("s-2", ids[1]), _shop.CartAdd("v-1", sku: "A") });

        var customers = await OnlineAsync("?type=Customer&sort=id:asc&skip=1&take=1");

        Assert.Equal(3, customers.GetProperty("total").GetInt32());
        Assert.Equal(ids[1], Assert.Single(customers.GetProperty("items").EnumerateArray()).GetProperty("id").GetInt64());
    }

    [Theory]
    [InlineData("?type=Robot", "type")]
    [InlineData("?sort=shoeSize:desc", "sort")]
    [InlineData("?sort=id:sideways", "sort")]
    [InlineData("?take=0", "take")]
    [InlineData("?take=100000", "take")]
    [InlineData("?skip=-1", "skip")]
    public async Task Bad_online_query_names_the_parameter(string query, string parameter)
    {
        var response = await _storefront.GetAsync("/api/online" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(parameter, out _));
    }

    [Fact]
    public async Task Settings_default_to_fifteen_and_sixty_minutes()
    {
        var settings = await _storefront.GetFromJsonAsync<JsonElement>("/api/settings");

        Assert.Equal(15, settings.GetProperty("onlineMinutesInterval").GetInt32());
        Assert.Equal(60, settings.GetProperty("customerDataLifetime").GetInt32());
    }

    [Fact]
    public async Task Health_is_ok_when_the_store_is_reachable()
    {
        var response = await _app.Anonymous().GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
