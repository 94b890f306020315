using NowOnline.Core.Presence;

namespace NowOnline.Web.Simulator;

/// <summary>Seeded demo customers and catalogue for the simulator.</summary>
internal static class DemoCustomers
{
    private static readonly (string First, string Last, string? Company)[] People =
    [
        ("Ada", "Lovelace", "Analytical Ltd"), ("Grace", "Hopper", "Cobol Systems"), ("Alan", "Turing", "Bletchley Works"),
        ("Katherine", "Johnson", "Orbital Maths"), ("Linus", "Torvalds", null), ("Margaret", "Hamilton", "Apollo Guidance"),
        ("Tim", "Berners-Lee", "Web Foundation"), ("Radia", "Perlman", "Spanning Trees Inc"), ("Dennis", "Ritchie", "Bell Labs"),
        ("Barbara", "Liskov", "Substitution & Co"), ("Ken", "Thompson", null), ("Frances", "Allen", "Optimizers GmbH"),
        ("Edsger", "Dijkstra", "Shortest Path BV"), ("Hedy", "Lamarr", "Frequency Hopping"), ("John", "McCarthy", "Lisp Machines"),
        ("Sophie", "Wilson", "ARM Designs"), ("Donald", "Knuth", "TeX Press"), ("Anita", "Borg", null),
        ("Niklaus", "Wirth", "Pascal AG"), ("Karen", "Spärck Jones", "Retrieval Ltd"), ("Bjarne", "Stroustrup", null),
        ("Annie", "Easley", "Centaur Rockets"), ("Guido", "van Rossum", "Python Snakes"), ("Evelyn", "Boyd Granville", null),
        ("James", "Gosling", "Oak Trees"), ("Jean", "Bartik", "ENIAC Crew"), ("Leslie", "Lamport", "Paxos Partners"),
        ("Mary", "Keller", null), ("Whitfield", "Diffie", "Key Exchange Co"), ("Joan", "Clarke", "Hut 8"),
    ];

    public static IReadOnlyList<CustomerProfile> All { get; } = People
        .Select((p, i) => new CustomerProfile(1001 + i, p.First, p.Last,
            $"{p.First}.{p.Last}".ToLowerInvariant().Replace(' ', '-').Replace("ä", "a", StringComparison.Ordinal) + "@example.com", p.Company))
        .ToList();

    public static IReadOnlyList<CartLine> Catalogue { get; } =
    [
        new("WB-01", "Water bottle", 1), new("YM-02", "Yoga mat", 1), new("RB-03", "Running backpack", 1),
        new("HT-04", "Hiking tee", 1), new("SK-05", "Socks (3 pairs)", 1), new("CP-06", "Cap", 1),
        new("JK-07", "Rain jacket", 1), new("HB-08", "Headband", 1),
    ];

    public static IReadOnlyList<string> Paths { get; } =
    [
        "", "women/tops.html", "men/jackets.html", "gear/bags.html", "gear/fitness.html", "sale.html",
        "checkout/cart", "customer/account", "catalog/water-bottle.html", "catalog/yoga-mat.html", "search?q=backpack",
    ];

    public static IReadOnlyList<string> Stores { get; } = ["default", "default", "default", "de", "fr"];
}
