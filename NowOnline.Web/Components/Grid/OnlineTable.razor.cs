using System.Globalization;
using Microsoft.AspNetCore.Components;
using NowOnline.Core.Presence;

namespace NowOnline.Web.Components.Grid;

/// <summary>
/// One page of online rows as the grid's owner read it from the tracker: this component only renders; sorting and
/// paging go back to the owner, which re-reads the page on the server.
/// </summary>
public sealed partial class OnlineTable
{
    private static readonly Dictionary<string, object> TableAttributes = new() { ["aria-label"] = "Online customers and visitors" };

    [Parameter, EditorRequired] public OnlinePage Page { get; set; } = new(0, [], 0, 0, 0);

    [Parameter, EditorRequired] public OnlineQuery View { get; set; } = new();

    [Parameter] public GridColumns Columns { get; set; } = GridColumns.Default;

    [Parameter] public TimeZoneInfo TimeZone { get; set; } = TimeZoneInfo.Utc;

    [Parameter] public DateTimeOffset Now { get; set; }

    [Parameter] public string? SelectedKey { get; set; }

    /// <summary>Keys of rows that changed a moment ago (highlighted).</summary>
    [Parameter] public IReadOnlySet<string> Changed { get; set; } = new HashSet<string>();

    [Parameter] public EventCallback<string> SortChanged { get; set; }

    [Parameter] public EventCallback<int> PageChanged { get; set; }

    [Parameter] public EventCallback<int> PageSizeChanged { get; set; }

    [Parameter] public EventCallback<OnlineRow> RowSelected { get; set; }

    [Parameter] public EventCallback ClearFilters { get; set; }

    private IEnumerable<GridColumn> VisibleColumns => Columns.Columns.Where(c => c.Visible);

    private string RowClass(OnlineRow row, int index) =>
        (Changed.Contains(row.Key) ? "row-changed " : "") + (row.Key == SelectedKey ? "row-selected" : "");

    private Task Select(OnlineRow? row) => row is null ? Task.CompletedTask : RowSelected.InvokeAsync(row);

    private static string Describe(OnlineRow row) =>
        $"{row.FirstName} {row.LastName}".Trim() is { Length: > 0 } name ? name
        : row.CustomerId is { } id ? $"customer {id}" : $"visitor {row.SessionId}";

    private RenderFragment Cell(string key, OnlineRow row) => key switch
    {
        "id" => Text(row.CustomerId?.ToString(CultureInfo.InvariantCulture)),
        "firstName" => Text(row.FirstName),
        "lastName" => Text(row.LastName),
        "email" => Text(row.Email),
        "company" => Text(row.Company),
        "store" => Text(row.Store),
        "lastActivity" => LastActivity(row),
        "type" => TypeChip(row),
        "lastUrl" => LastUrl(row),
        _ => Text(null),
    };

    private static RenderFragment Text(string? value) => builder => builder.AddContent(0, value);

    private string FormatTime(DateTimeOffset at) =>
        TimeZoneInfo.ConvertTime(at, TimeZone).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)
        + (TimeZone == TimeZoneInfo.Utc ? " UTC" : "");
}
