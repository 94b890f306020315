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

    private readonly Dictionary<string, RowSlot> _slots = new(StringComparer.Ordinal);
    private List<RowSlot> _slotsOnPage = [];

    private IEnumerable<GridColumn> VisibleColumns => Columns.Columns.Where(c => c.Visible);

    protected override void OnParametersSet()
    {
        var onPage = new List<RowSlot>(Page.Items.Count);
        foreach (var row in Page.Items)
        {
            if (!_slots.TryGetValue(row.Key, out var slot)) _slots[row.Key] = slot = new RowSlot();
            slot.Row = row;
            onPage.Add(slot);
        }

        if (_slots.Count > onPage.Count)
        {
            _slots.Clear();
            foreach (var slot in onPage) _slots[slot.Row.Key] = slot;
        }

        _slotsOnPage = onPage;
    }

    private string RowClass(RowSlot slot, int index) =>
        (Changed.Contains(slot.Row.Key) ? "row-changed " : "") + (slot.Row.Key == SelectedKey ? "row-selected" : "");

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

    /// <summary>
    /// MudTable keys its rows by item. A record would be a new key after every change, so the row's elements would be
    /// rebuilt and keyboard focus inside the row lost; one slot per row key keeps the item, and the row is updated in place.
    /// </summary>
    private sealed class RowSlot
    {
        public OnlineRow Row { get; set; } = default!;
    }

    private static RenderFragment Text(string? value) => builder => builder.AddContent(0, value);

    private string FormatTime(DateTimeOffset at) =>
        TimeZoneInfo.ConvertTime(at, TimeZone).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)
        + (TimeZone == TimeZoneInfo.Utc ? " UTC" : "");
}
