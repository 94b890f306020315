using Microsoft.Extensions.Options;
using NowOnline.Core.Presence;

namespace NowOnline.Bench.Support;

/// <summary>
/// A deterministic shop: <c>sessions</c> storefront sessions, 40 % of them signed-in customers (one session each),
/// the rest visitors. Strings are built per session, as the API's JSON parser would, so memory figures are honest.
/// </summary>
public sealed class Workload
{
    public static readonly DateTimeOffset Start = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);

    public static readonly string[] DefaultBots =
        ["Googlebot", "bingbot", "Baiduspider", "YandexBot", "DuckDuckBot", "AhrefsBot", "SemrushBot", "facebookexternalhit"];

    private static readonly string[] FirstNames =
        ["Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Frances", "Ken", "Margaret", "Dennis", "Radia", "John",
         "Katherine", "Tim", "Hedy", "Linus", "Anita", "Bjarne", "Sophie", "Guido", "Joan", "Niklaus", "Karen", "Leslie"];

    private static readonly string[] LastNames =
        ["Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Allen", "Thompson", "Hamilton", "Ritchie",
         "Perlman", "McCarthy", "Johnson", "Berners-Lee", "Lamarr", "Torvalds", "Borg", "Stroustrup", "Wilson", "van Rossum"];

    private static readonly string[] Companies = ["Analytical Ltd", "Cobol Systems", "Bletchley Park", "Acme Corp", "Globex", "Initech", ""];

    private static readonly string[] Paths =
        ["checkout/cart", "catalog/product/view/id/", "customer/account", "gear/bags.html?p=", "women/tops.html?color=", "sale.html?page="];

    private static readonly string[] Agents =
    [
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_7_1) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0",
    ];

    private readonly Random _random;

    public Workload(int sessions, int seed = 7)
    {
        Sessions = sessions;
        _random = new Random(seed);
    }

    public int Sessions { get; }

    public static PresenceTracker NewTracker(TimeProvider clock) =>
        new(clock, Options.Create(new PresenceOptions { IgnoredUserAgents = DefaultBots }));

    public static string SessionId(int index) => "s" + index.ToString("D7", System.Globalization.CultureInfo.InvariantCulture);

    public static bool IsCustomer(int index) => index % 10 < 4;

    public static long CustomerId(int index) => 100_000 + index;

    public static CustomerProfile Profile(int index)
    {
        var first = FirstNames[index % FirstNames.Length];
        var last = LastNames[index / FirstNames.Length % LastNames.Length];
        return new CustomerProfile(CustomerId(index), first, last,
            $"{first.ToLowerInvariant()}.{last.ToLowerInvariant().Replace(' ', '-')}{index}@example.com",
            Companies[index % Companies.Length] is { Length: > 0 } company ? company : null);
    }

    public static string Url(int index, int salt) =>
        $"https://shop.example/{Paths[(index + salt) % Paths.Length]}{(index * 31 + salt) % 5000}";

    public static string Agent(int index) => Agents[index % Agents.Length];

    /// <summary>The event that brings session <paramref name="index"/> online: a login for customers, a cart add for visitors.</summary>
    public static ActivityEvent Arrival(int index, DateTimeOffset at, string? eventId = null) =>
        IsCustomer(index)
            ? new ActivityEvent(eventId, ActivityType.Login, SessionId(index), at, Profile(index), Url(index, 0), null, "default", Agent(index))
            : new ActivityEvent(eventId, ActivityType.CartAdd, SessionId(index), at, null, Url(index, 0),
                new CartLine("SKU-" + (index % 997), "Water bottle", 1), index % 3 == 0 ? "de" : "default", Agent(index));

    /// <summary>Brings every session online, spread over <paramref name="spread"/> before <paramref name="end"/>.</summary>
    public void Populate(PresenceTracker tracker, DateTimeOffset end, TimeSpan spread, int batch = 1000)
    {
        var chunk = new List<ActivityEvent>(batch);
        for (var i = 0; i < Sessions; i++)
        {
            chunk.Add(Arrival(i, end - spread + spread * ((double)i / Sessions)));
            if (chunk.Count < batch) continue;
            tracker.Apply(chunk);
            chunk.Clear();
        }

        if (chunk.Count > 0) tracker.Apply(chunk);
    }

    /// <summary>
    /// A storefront mix over the existing sessions: cart changes, logins, logouts and page views, each with an event id.
    /// Times move forward from <paramref name="from"/> by <paramref name="step"/> per event.
    /// </summary>
    public List<ActivityEvent[]> Traffic(int count, int batchSize, DateTimeOffset from, TimeSpan step, bool withEventIds = true)
    {
        var batches = new List<ActivityEvent[]>(count / batchSize + 1);
        var batch = new List<ActivityEvent>(batchSize);
        var at = from;
        for (var n = 0; n < count; n++)
        {
            at += step;
            batch.Add(Next(_random.Next(Sessions), at, withEventIds ? Guid.NewGuid().ToString("N") : null, n));
            if (batch.Count < batchSize) continue;
            batches.Add(batch.ToArray());
            batch.Clear();
        }

        if (batch.Count > 0) batches.Add(batch.ToArray());
        return batches;
    }

    private ActivityEvent Next(int index, DateTimeOffset at, string? eventId, int n)
    {
        var roll = _random.Next(100);
        var session = SessionId(index);
        var agent = Agent(index);
        var url = Url(index, n);
        if (roll < 10) return new ActivityEvent(eventId, ActivityType.PageView, session, at, Url: url, UserAgent: agent);
        if (roll < 15 && IsCustomer(index))
            return new ActivityEvent(eventId, ActivityType.Login, session, at, Profile(index), url, null, "default", agent);
        if (roll < 17) return new ActivityEvent(eventId, ActivityType.Logout, session, at, Url: url, UserAgent: agent);
        var type = roll < 60 ? ActivityType.CartAdd : roll < 85 ? ActivityType.CartUpdate : ActivityType.CartRemove;
        return new ActivityEvent(eventId, type, session, at, null, url, new CartLine("SKU-" + (n % 997), "Item", 1 + n % 3), null, agent);
    }
}
