using System.Text;

namespace NowOnline.Tests.Security;

public enum Caller
{
    Storefront,
    Admin,
    Nobody,
    WrongKey,
    Form,
}

/// <summary>One hostile request: who sends it, where, what, and the 4xx it must get.</summary>
public sealed record HostileCase(string Name, Caller Caller, string Method, string Path, Func<string, HttpContent?> Content, int Status);

/// <summary>The table: at least 50 wrong, missing, huge and hostile inputs across every endpoint and form.</summary>
public static class HostileInputCases
{
    private const string Good = "\"type\":\"cart_add\",\"sessionId\":\"s-1\",\"item\":{\"sku\":\"WB-01\",\"qty\":1}";
    private const string Customer = "\"customer\":{\"id\":42,\"firstName\":\"Ada\",\"lastName\":\"Lovelace\",\"email\":\"ada@example.com\"}";

    private static Func<string, HttpContent?> Json(string json) => _ => new StringContent(json, Encoding.UTF8, "application/json");

    private static Func<string, HttpContent?> Raw(string body, string? contentType) => _ =>
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        if (contentType is not null) content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return content;
    };

    private static Func<string, HttpContent?> Event(string fields) => Json("{" + fields + "}");

    private static Func<string, HttpContent?> Login(string customer, string extra = "") =>
        Json("{\"type\":\"login\",\"sessionId\":\"s-1\",\"customer\":" + customer + extra + "}");

    // The antiforgery token is filled in at send time ("{token}" in a field value).
    private static Func<string, HttpContent?> Form(params (string Name, string Value)[] fields) => token =>
        new FormUrlEncodedContent(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value.Replace("{token}", token))));

    private static string Deep(int depth) => new string('[', depth) + new string(']', depth);

    private static string Many(int count) => "[" + string.Join(",", Enumerable.Range(0, count).Select(i => "{" + Good.Replace("s-1", $"s-{i}") + "}")) + "]";

    private static string Iso(TimeSpan fromNow) => (DateTimeOffset.UtcNow + fromNow).ToString("yyyy-MM-ddTHH:mm:ssZ");

    private static HostileCase Activity(string name, Func<string, HttpContent?> content, int status = 400, Caller caller = Caller.Storefront) =>
        new(name, caller, "POST", "/api/activity", content, status);

    private static HostileCase Online(string name, string query) => new(name, Caller.Storefront, "GET", "/api/online?" + query, _ => null, 400);

    private static HostileCase SignIn(string name, Func<string, HttpContent?> content, int status = 400) =>
        new(name, Caller.Form, "POST", "/account/login", content, status);

    public static IReadOnlyList<HostileCase> All { get; } =
    [
        // POST /api/activity: the body as a whole
        Activity("activity: empty body", Raw("", "application/json")),
        Activity("activity: truncated JSON", Raw("{\"type\":\"login\",\"sessionId\":\"s", "application/json")),
        Activity("activity: not JSON at all", Raw("hello world", "application/json")),
        Activity("activity: JSON with a comment", Raw("{" + Good + " /* hi */}", "application/json")),
        Activity("activity: trailing comma", Raw("{" + Good + ",}", "application/json")),
        Activity("activity: JSON null", Raw("null", "application/json")),
        Activity("activity: bare number", Raw("42", "application/json")),
        Activity("activity: bare string", Raw("\"login\"", "application/json")),
        Activity("activity: empty batch", Json("[]")),
        Activity("activity: batch of numbers", Json("[1,2,3]")),
        Activity("activity: array nested 100 deep", Json(Deep(100))),
        Activity("activity: object nested 40 deep inside an event", Json("{" + Good + ",\"extra\":" + Deep(40) + "}")),
        Activity("activity: text/plain content type", Raw("{" + Good + "}", "text/plain"), 415),
        Activity("activity: form content type", Raw("type=login", "application/x-www-form-urlencoded"), 415),
        Activity("activity: no content type", Raw("{" + Good + "}", null), 415),
        Activity("activity: body over the size limit", Raw("[" + new string(' ', 1_100_000) + "]", "application/json"), 413),
        Activity("activity: batch over the size limit of 1000 events", Json(Many(1001))),
        Activity("activity: one bad item among good ones", Json("[{" + Good + "},{" + Good.Replace("\"s-1\"", "\"\"") + "}]")),
        // fields
        Activity("activity: missing type", Event("\"sessionId\":\"s-1\"")),
        Activity("activity: unknown type", Event("\"type\":\"purchase\",\"sessionId\":\"s-1\"")),
        Activity("activity: type as a number", Event("\"type\":1,\"sessionId\":\"s-1\"")),
        Activity("activity: type with SQL", Event("\"type\":\"login'; DROP TABLE Sessions;--\",\"sessionId\":\"s-1\"")),
        Activity("activity: repeated type property", Event(Good + ",\"type\":\"logout\"")),
        Activity("activity: missing sessionId", Event("\"type\":\"cart_add\",\"item\":{\"sku\":\"A\",\"qty\":1}")),
        Activity("activity: empty sessionId", Event(Good.Replace("\"s-1\"", "\"\""))),
        Activity("activity: sessionId of 129 characters", Event(Good.Replace("s-1", new string('s', 129)))),
        Activity("activity: sessionId with a space (SQL payload)", Event(Good.Replace("s-1", "x'; DROP TABLE ActivityEvents;--"))),
        Activity("activity: sessionId with NUL", Event(Good.Replace("s-1", "s\\u0000"))),
        Activity("activity: sessionId with a zero-width space", Event(Good.Replace("s-1", "s\\u200B1"))),
        Activity("activity: sessionId as a number", Event("\"type\":\"cart_add\",\"sessionId\":7,\"item\":{\"sku\":\"A\",\"qty\":1}")),
        Activity("activity: eventId of 129 characters", Event(Good + ",\"eventId\":\"" + new string('e', 129) + "\"")),
        Activity("activity: login without customer", Event("\"type\":\"login\",\"sessionId\":\"s-1\"")),
        Activity("activity: customer as an array", Login("[42]")),
        Activity("activity: customer id negative", Login("{\"id\":-1}")),
        Activity("activity: customer id zero", Login("{\"id\":0}")),
        Activity("activity: customer id as a string", Login("{\"id\":\"42\"}")),
        Activity("activity: customer id 1e30", Login("{\"id\":1e30}")),
        Activity("activity: customer id fractional", Login("{\"id\":4.2}")),
        Activity("activity: first name of 256 characters", Login("{\"id\":1,\"firstName\":\"" + new string('a', 256) + "\"}")),
        Activity("activity: last name of 200000 characters", Login("{\"id\":1,\"lastName\":\"" + new string('a', 200_000) + "\"}")),
        Activity("activity: company with a right-to-left override", Login("{\"id\":1,\"company\":\"Evil\\u202Egnp.exe\"}")),
        Activity("activity: last name with a lone surrogate", Login("{\"id\":1,\"lastName\":\"Love\\uD800lace\"}")),
        Activity("activity: type with a lone surrogate", Event("\"type\":\"\\uDC00\",\"sessionId\":\"s-1\"")),
        Activity("activity: property name with a lone surrogate", Event(Good + ",\"x\\uD800\":1")),
        Activity("activity: property name of lone surrogates as long as a field name", Event(Good + ",\"\\uD800\\uD800\\uD800\":1")),
        Activity("activity: escaped type naming no type", Event("\"\\u0074ype\":\"\\u0070urchase\",\"sessionId\":\"s-1\"")),
        Activity("activity: body of white space only", Raw("   \r\n ", "application/json")),
        Activity("activity: text after the batch", Raw("[{" + Good + "}] []", "application/json")),
        Activity("activity: invalid UTF-8 in a value", _ => new ByteArrayContent([.. Encoding.UTF8.GetBytes("{" + Good + ",\"store\":\"a"), 0xC3, 0x28, .. "\"}"u8])
        {
            Headers = { { "Content-Type", "application/json" } },
        }),
        Activity("activity: first name with a bell character", Login("{\"id\":1,\"firstName\":\"Ada\\u0007\"}")),
        Activity("activity: invalid email", Login("{\"id\":1,\"email\":\"not-an-email\"}")),
        Activity("activity: email with a header injection", Login("{\"id\":1,\"email\":\"a@b.com\\r\\nBcc: x@y.com\"}")),
        Activity("activity: email of 255 characters", Login("{\"id\":1,\"email\":\"" + new string('a', 243) + "@example.com\"}")),
        Activity("activity: repeated customer id", Login("{\"id\":1,\"id\":2}")),
        Activity("activity: javascript URL", Event(Good + ",\"url\":\"javascript:alert(1)\"")),
        Activity("activity: data URL", Event(Good + ",\"url\":\"data:text/html,<script>alert(1)</script>\"")),
        Activity("activity: relative URL", Event(Good + ",\"url\":\"/checkout/cart\"")),
        Activity("activity: ftp URL", Event(Good + ",\"url\":\"ftp://shop.example/\"")),
        Activity("activity: URL with a space", Event(Good + ",\"url\":\"https://shop.example/a b\"")),
        Activity("activity: URL of 2049 characters", Event(Good + ",\"url\":\"https://shop.example/" + new string('a', 2049 - 21) + "\"")),
        Activity("activity: occurredAt an hour ahead", Event(Good + ",\"occurredAt\":\"" + Iso(TimeSpan.FromHours(1)) + "\"")),
        Activity("activity: occurredAt older than the horizon", Event(Good + ",\"occurredAt\":\"" + Iso(TimeSpan.FromDays(-3)) + "\"")),
        Activity("activity: occurredAt without an offset", Event(Good + ",\"occurredAt\":\"2026-11-22T11:00:00\"")),
        Activity("activity: occurredAt as words", Event(Good + ",\"occurredAt\":\"yesterday\"")),
        Activity("activity: occurredAt as a number", Event(Good + ",\"occurredAt\":1732000000")),
        Activity("activity: cart_add without item", Event("\"type\":\"cart_add\",\"sessionId\":\"s-1\"")),
        Activity("activity: item as a string", Event("\"type\":\"cart_add\",\"sessionId\":\"s-1\",\"item\":\"WB-01\"")),
        Activity("activity: qty zero on cart_add", Event(Good.Replace("\"qty\":1", "\"qty\":0"))),
        Activity("activity: qty negative", Event(Good.Replace("\"qty\":1", "\"qty\":-1"))),
        Activity("activity: qty fractional", Event(Good.Replace("\"qty\":1", "\"qty\":1.5"))),
        Activity("activity: qty of a billion", Event(Good.Replace("\"qty\":1", "\"qty\":1000000000"))),
        Activity("activity: qty as a string", Event(Good.Replace("\"qty\":1", "\"qty\":\"1\""))),
        Activity("activity: sku of 65 characters", Event(Good.Replace("WB-01", new string('k', 65)))),
        Activity("activity: store of 65 characters", Event(Good + ",\"store\":\"" + new string('s', 65) + "\"")),
        Activity("activity: userAgent of 1025 characters", Event(Good + ",\"userAgent\":\"" + new string('u', 1025) + "\"")),
        // POST /api/activity: who is calling
        Activity("activity: no key", Event(Good), 401, Caller.Nobody),
        Activity("activity: wrong key", Event(Good), 401, Caller.WrongKey),
        Activity("activity: signed-in admin without a key", Event(Good), 401, Caller.Admin),

        // GET /api/online
        Online("online: take zero", "take=0"),
        Online("online: take over the maximum", "take=100000"),
        Online("online: take not a number", "take=abc"),
        Online("online: skip negative", "skip=-1"),
        Online("online: sort by an unknown column", "sort=passwordHash:asc"),
        Online("online: sort direction sideways", "sort=lastActivity:sideways"),
        Online("online: unknown type", "type=Admin"),
        Online("online: search of 256 characters", "search=" + new string('a', 256)),
        Online("online: search with a NUL", "search=a%00b"),
        Online("online: activityFrom not a date", "activityFrom=soon"),
        Online("online: idFrom negative", "idFrom=-5"),
        new("online: no key", Caller.Nobody, "GET", "/api/online", _ => null, 401),
        new("online: wrong key", Caller.WrongKey, "GET", "/api/online", _ => null, 401),

        // GET /api/settings
        new("settings: no key", Caller.Nobody, "GET", "/api/settings", _ => null, 401),
        new("settings: wrong key", Caller.WrongKey, "GET", "/api/settings", _ => null, 401),

        // POST /account/login (the sign-in form)
        SignIn("login form: no antiforgery token", Form(("email", "admin@nowonline.test"), ("password", "Test-admin-password-1"))),
        SignIn("login form: forged antiforgery token", Form(("__RequestVerificationToken", "forged"), ("email", "a@b.com"), ("password", "x"))),
        SignIn("login form: empty body", Raw("", "application/x-www-form-urlencoded")),
        SignIn("login form: JSON instead of a form", Json("{\"email\":\"admin@nowonline.test\",\"password\":\"x\"}"), 415),
        SignIn("login form: missing email", Form(("__RequestVerificationToken", "{token}"), ("password", "Test-admin-password-1"))),
        SignIn("login form: missing password", Form(("__RequestVerificationToken", "{token}"), ("email", "admin@nowonline.test"))),
        SignIn("login form: email of 300 characters", Form(("__RequestVerificationToken", "{token}"), ("email", new string('a', 300)), ("password", "x"))),
        SignIn("login form: email with control characters", Form(("__RequestVerificationToken", "{token}"), ("email", "admin@nowonline.test\r\n"), ("password", "x"))),
        SignIn("login form: password of 300 characters", Form(("__RequestVerificationToken", "{token}"), ("email", "admin@nowonline.test"), ("password", new string('p', 300)))),
        SignIn("login form: email sent twice", Form(("__RequestVerificationToken", "{token}"), ("email", "admin@nowonline.test"), ("email", "x@y.com"), ("password", "x"))),
        SignIn("login form: body over 16 KB", Form(("__RequestVerificationToken", "{token}"), ("email", "a@b.com"), ("password", new string('p', 20_000))), 413),

        // POST /account/logout (the header's form)
        new("logout form: no antiforgery token", Caller.Admin, "POST", "/account/logout", Form(("x", "y")), 400),
    ];
}
