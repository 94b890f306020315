using NowOnline.Bench.Shared;
using NowOnline.Core.Presence;

namespace NowOnline.Bench.Support;

/// <summary>A grid view as NowOnline asks for it and as the classic SQL grid would.</summary>
public sealed record GridQuery(string Name, OnlineQuery Ours, string Where, string OrderBy, (string Name, object Value)[] Parameters)
{
    public (long Total, int Rows) RunClassic(ClassicStore store, DateTimeOffset onlineSince) =>
        store.Query(Where, OrderBy, Ours.Skip, Ours.Take, onlineSince, Parameters);
}

/// <summary>The views an admin uses most: each is a filter + a sort + one page of 50.</summary>
public static class GridQueries
{
    private const string SearchSql =
        "(first_name LIKE $q OR last_name LIKE $q OR email LIKE $q OR company LIKE $q OR last_url LIKE $q OR store LIKE $q OR session_id LIKE $q)";

    public static IReadOnlyList<GridQuery> All { get; } =
    [
        new("newest customers", new OnlineQuery { Type = SessionType.Customer, Take = 50 },
            "type = 'Customer'", "last_activity DESC", []),
        new("search 'an', by last name", new OnlineQuery { Search = "an", Sort = OnlineSortField.LastName, Descending = false, Take = 50 },
            SearchSql, "last_name COLLATE NOCASE ASC", [("$q", "%an%")]),
        new("visitors on checkout, page 3", new OnlineQuery { Type = SessionType.Visitor, LastUrl = "checkout", Skip = 100, Take = 50 },
            "type = 'Visitor' AND last_url LIKE $u", "last_activity DESC", [("$u", "%checkout%")]),
        new("email contains 'example', by email, page 11", new OnlineQuery { Email = "example", Sort = OnlineSortField.Email, Descending = false, Skip = 500, Take = 50 },
            "email LIKE $e", "email COLLATE NOCASE ASC", [("$e", "%example%")]),
    ];
}
