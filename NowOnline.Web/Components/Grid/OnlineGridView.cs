using NowOnline.Core.Presence;

namespace NowOnline.Web.Components.Grid;

/// <summary>Paging and column facts of the Now Online grid, as the store admin has them.</summary>
public static class OnlineGridView
{
    public const int DefaultPageSize = 20;

    public static readonly IReadOnlyList<int> PageSizes = [20, 30, 50, 100, 200];

    public static OnlineSortField SortField(string? property) => property switch
    {
        nameof(OnlineRow.CustomerId) => OnlineSortField.Id,
        nameof(OnlineRow.FirstName) => OnlineSortField.FirstName,
        nameof(OnlineRow.LastName) => OnlineSortField.LastName,
        nameof(OnlineRow.Email) => OnlineSortField.Email,
        nameof(OnlineRow.Company) => OnlineSortField.Company,
        nameof(OnlineRow.Type) => OnlineSortField.Type,
        nameof(OnlineRow.LastUrl) => OnlineSortField.LastUrl,
        nameof(OnlineRow.Store) => OnlineSortField.Store,
        _ => OnlineSortField.LastActivity,
    };
}
