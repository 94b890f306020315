using NowOnline.Core.Presence;
using NowOnline.Tests.Support;
using static NowOnline.Tests.Support.Events;

namespace NowOnline.Tests.Core;

/// <summary>
/// Queries over more rows than one scan part takes (the tracker then splits text scans over the cores and warms the
/// strings ahead of the tests): every view must give exactly the page a plain filter + full sort of all rows gives.
/// </summary>
public sealed class LargeQueryTests
{
    private static readonly string[] Names = ["Ada", "Grace", "Alan", "Barbara", "Donald", "Frances", "Ken", "Margaret", "Joan"];
    private static readonly string[] Paths = ["checkout/cart", "catalog/product/view/id/", "women/tops.html?color=", "sale.html?page="];

    private readonly FakeClock _clock = new();
    private readonly PresenceTracker _tracker;

    public LargeQueryTests()
    {
        _tracker = TrackerFactory.Create(_clock);
        var random = new Random(11);
        var now = _clock.GetUtcNow();
        var rows = RowQuery.ParallelScanThreshold * 3;
        var events = new List<ActivityEvent>(rows + rows / 10);
        for (var i = 0; i < rows; i++)
        {
            var at = now.AddSeconds(-random.Next(0, 600));
            var url = $"https://shop.example/{Paths[random.Next(Paths.Length)]}{random.Next(500)}";
            events.Add(i % 5 < 2
                ? Login($"s-{i}", at, Customer(i, random), url: url)
                : CartAdd($"s-{i}", at) with { Url = url });
        }

        // Some rows leave again (sign-outs turn customer rows into visitor rows, the dense list fills holes).
        for (var i = 0; i < rows; i += 7) events.Add(Logout($"s-{i}", now));
        _tracker.Apply(events);
    }

    public static TheoryData<string> Views() => new() { "search", "email", "checkout visitors", "by id", "first name, last page" };

    [Theory]
    [MemberData(nameof(Views))]
    public void A_large_view_gives_the_page_a_full_sort_of_every_matching_row_gives(string view)
    {
        var query = view switch
        {
            "search" => new OnlineQuery { Search = "an", Sort = OnlineSortField.LastName, Descending = false, Take = 50 },
            "email" => new OnlineQuery { Email = "EXAMPLE", Sort = OnlineSortField.Email, Descending = false, Skip = 500, Take = 50 },
            "checkout visitors" => new OnlineQuery { Type = SessionType.Visitor, LastUrl = "checkout", Skip = 100, Take = 50 },
            "by id" => new OnlineQuery { Search = "a", Sort = OnlineSortField.Id, Descending = true, Skip = 40, Take = 20 },
            _ => new OnlineQuery { FirstName = "r", Sort = OnlineSortField.FirstName, Skip = 3000, Take = 200 },
        };
        using var everything = _tracker.Subscribe();
        var matching = everything.InitialRows.Where(query.Matches).ToList();

        var page = _tracker.Query(query);

        Assert.True(matching.Count > query.Skip + query.Take, $"the view '{view}' should span several pages");
        Assert.Equal(matching.Count, page.Total);
        Assert.Equal(Reference(matching, query).Skip(query.Skip).Take(query.Take).Select(r => r.Key), page.Items.Select(r => r.Key));
    }

    [Fact]
    public void Views_stay_exact_while_rows_change_their_pages_and_profiles_leave_and_come_back()
    {
        // Traffic moves rows between pages, signs customers in with new (also non-ASCII) profiles and takes rows away, so
        // the text columns free ids, hand them out again and compact while the views are read between the waves.
        var random = new Random(17);
        var now = _clock.GetUtcNow();
        var rows = RowQuery.ParallelScanThreshold * 3;
        OnlineQuery[] views =
        [
            new() { Search = "an", Sort = OnlineSortField.LastName, Take = 50 },
            new() { Search = "É", Sort = OnlineSortField.Email, Skip = 20, Take = 50 },
            new() { LastUrl = "CART", Sort = OnlineSortField.LastUrl, Descending = true, Take = 100 },
            new() { Company = "acme", FirstName = "a", Sort = OnlineSortField.Company, Take = 30 },
            new() { Search = "s-1", Sort = OnlineSortField.FirstName, Skip = 200, Take = 50 },
            new() { Search = "1017", Take = 10 },
        ];
        for (var wave = 0; wave < 4; wave++)
        {
            var events = new List<ActivityEvent>();
            for (var n = 0; n < rows / 2; n++)
            {
                var i = random.Next(rows);
                var at = now.AddSeconds(wave * 5 + random.NextDouble());
                var url = $"https://shop.example/{Paths[random.Next(Paths.Length)]}{random.Next(2_000)}";
                events.Add(random.Next(10) switch
                {
                    0 => Logout($"s-{i}", at),
                    1 => Login($"s-{i}", at, Customer(i, random) with { FirstName = "Élodie", Email = $"élodie.{wave}.{i}@example.com" }, url: url),
                    2 => Login($"s-{i}", at, Customer(i, random), url: url),
                    _ => CartAdd($"s-{i}", at) with { Url = url },
                });
            }

            _tracker.Apply(events);
            using var everything = _tracker.Subscribe();
            foreach (var query in views)
            {
                var matching = everything.InitialRows.Where(query.Matches).ToList();
                var expected = Reference(matching, query).Select(r => r.Key).ToList();

                var page = _tracker.Query(query);

                Assert.Equal(matching.Count, page.Total);
                Assert.Equal(expected.Skip(query.Skip).Take(query.Take), page.Items.Select(r => r.Key));
                Assert.Equal(expected, _tracker.QueryAll(query).Select(r => r.Key));
            }
        }
    }

    // The documented order written out independently of the tracker: the column (text ignoring case, visitors' missing
    // ID first), then the row key, so equal values never swap places.
    private static IEnumerable<OnlineRow> Reference(List<OnlineRow> rows, OnlineQuery query)
    {
        Func<OnlineRow, object?> column = query.Sort switch
        {
            OnlineSortField.LastName => r => r.LastName,
            OnlineSortField.FirstName => r => r.FirstName,
            OnlineSortField.Email => r => r.Email,
            OnlineSortField.LastUrl => r => r.LastUrl,
            OnlineSortField.Company => r => r.Company,
            OnlineSortField.Id => r => r.CustomerId,
            _ => r => r.LastActivity,
        };
        var comparer = Comparer<object?>.Create((a, b) => (a, b) switch
        {
            (null, null) => 0,
            (null, _) => -1,
            (_, null) => 1,
            (string x, string y) => StringComparer.OrdinalIgnoreCase.Compare(x, y),
            _ => Comparer<object>.Default.Compare(a, b),
        });
        var ordered = query.Descending ? rows.OrderByDescending(column, comparer) : rows.OrderBy(column, comparer);
        return ordered.ThenBy(r => r.Key, StringComparer.Ordinal);
    }

    private static CustomerProfile Customer(int i, Random random)
    {
        var first = Names[random.Next(Names.Length)];
        var last = Names[random.Next(Names.Length)] + "son";
        return new CustomerProfile(1000 + i, first, last, $"{first}.{last}{i}@Example.com".ToLowerInvariant(), i % 3 == 0 ? null : "Acme");
    }
}
