using NowOnline.Core.Presence;

namespace NowOnline.Web.Components.Grid;

/// <summary>Paging and column facts of the Now Online grid, as the store admin has them.</summary>
public static class OnlineGridView
{
    public const int DefaultPageSize = 20;

    public static readonly IReadOnlyList<int> PageSizes = [20, 30, 50, 100, 200];

    /// <summary>The sort field behind a column of <see cref="GridColumns"/>.</summary>
    public static OnlineSortField SortField(string columnKey) => columnKey switch
    {
        "id" => OnlineSortField.Id,
        "firstName" => OnlineSortField.FirstName,
        "lastName" => OnlineSortField.LastName,
        "email" => OnlineSortField.Email,
        "company" => OnlineSortField.Company,
        "type" => OnlineSortField.Type,
        "lastUrl" => OnlineSortField.LastUrl,
        "store" => OnlineSortField.Store,
        _ => OnlineSortField.LastActivity,
    };

    /// <summary>A header click: a new column sorts ascending, the sorted one flips direction; paging starts over.</summary>
    public static OnlineQuery SortBy(OnlineQuery view, string columnKey)
    {
        var field = SortField(columnKey);
        var descending = view.Sort == field && !view.Descending;
        return view with { Sort = field, Descending = descending, Skip = 0 };
    }

    public static int PageCount(int total, int take) => Math.Max(1, (total + take - 1) / take);
}
