using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.JSInterop;
using NowOnline.Core.Presence;
using NowOnline.Web.Api.Online;
using Radzen;
using Radzen.Blazor;

namespace NowOnline.Web.Components.Grid;

/// <summary>
/// The live Now Online grid. It asks the tracker for one page at a time (filter, sort and page run on the
/// server), keeps the admin's view in the URL, and follows the tracker's change feed, re-reading its page at
/// most a few times a second without touching the admin's filters, sort, page, selection or open details.
/// </summary>
public sealed partial class OnlineGrid
{
    /// <summary>How often the grid re-reads its page while changes keep arriving.</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>How often relative times ("2 min ago") and sliding "last N min" filters are brought up to date.</summary>
    public static readonly TimeSpan TickInterval = TimeSpan.FromSeconds(15);

    private static readonly TimeSpan HighlightFor = TimeSpan.FromSeconds(2);
    private static readonly SortOrder?[] SortSequence = [SortOrder.Ascending, SortOrder.Descending];

    private readonly CancellationTokenSource _stop = new();
    private readonly Dictionary<string, DateTimeOffset> _changedAt = new(StringComparer.Ordinal);
    private readonly List<string> _urlProblems = [];
    private RadzenDataGrid<OnlineRow>? _grid;
    private OnlineQuery _view = new() { Take = OnlineGridView.DefaultPageSize };
    private OnlineQuery _gridBuiltWith = new();
    private OnlinePage _page = new(0, [], 0, 0, 0);
    private PresenceSubscription? _subscription;
    private ITimer? _ticker;
    private DotNetObjectReference<OnlineGrid>? _self;
    private TimeZoneInfo _timeZone = TimeZoneInfo.Utc;
    private GridColumns _columns = GridColumns.Default;
    private int _layoutVersion;
    private bool _restorePage;
    private bool _live;
    private bool _paused;
    private bool _columnsOpen;
    private string? _selectedKey;
    private OnlineRow? _selectedRow;
    private int _detailVersion;
    private DateTimeOffset _now;

    [Inject] private PresenceTracker Tracker { get; set; } = default!;
    [Inject] private TimeProvider Clock { get; set; } = default!;
    [Inject] private IJSRuntime JS { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;

    [CascadingParameter] private Task<AuthenticationState>? AuthenticationState { get; set; }

    /// <summary>Number of times the grid re-read its page because of live changes (for tests and diagnostics).</summary>
    public int LiveRefreshes { get; private set; }

    private string LiveState => !_live ? "connecting" : _paused ? "paused" : "live";

    private string LiveText => !_live ? "Connecting…" : _paused ? "Paused" : "Live";

    private string CountText =>
        $"{_page.Online} online ({_page.Customers} {Plural(_page.Customers, "customer")}, {_page.Visitors} {Plural(_page.Visitors, "visitor")})";

    private string ExportHref
    {
        get
        {
            var query = OnlineQueryString.Format(_view, OnlineGridView.DefaultPageSize, includePaging: false);
            if (_timeZone != TimeZoneInfo.Utc) query += (query.Length == 0 ? "?" : "&") + "tz=" + Uri.EscapeDataString(_timeZone.Id);
            return OnlineExportApi.Path.TrimStart('/') + query;
        }
    }

    protected override void OnInitialized()
    {
        _now = Clock.GetUtcNow();
        ReadViewFromUrl();
        _gridBuiltWith = _view;
        _restorePage = _view.Skip > 0;
        _page = Tracker.Query(_view);
        _subscription = Tracker.Subscribe();
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (_restorePage && _grid is not null)
        {
            _restorePage = false;
            await _grid.GoToPage(_view.Skip / _view.Take, forceReload: true);
        }

        if (!firstRender) return;
        _ = PumpChangesAsync(_stop.Token);
        _ticker = Clock.CreateTimer(_ => _ = InvokeAsync(TickAsync), null, TickInterval, TickInterval);
        _live = true;
        await DetectTimeZoneAsync();
        await LoadColumnsAsync();
        await WatchConnectionAsync();
        StateHasChanged();
    }

    private void ReadViewFromUrl()
    {
        var uri = Navigation.ToAbsoluteUri(Navigation.Uri);
        var (query, errors) = OnlineQueryParser.Parse(QueryHelpers.ParseQuery(uri.Query), OnlineGridView.DefaultPageSize);
        foreach (var (_, messages) in errors.ToDictionary()) _urlProblems.AddRange(messages);
        var take = OnlineGridView.PageSizes.Contains(query.Take) ? query.Take : OnlineGridView.DefaultPageSize;
        if (take != query.Take) _urlProblems.Add($"The page size must be one of {string.Join(", ", OnlineGridView.PageSizes)}.");
        _view = query with { Take = take, Skip = query.Skip / take * take };
    }

    private async Task LoadDataAsync(LoadDataArgs args)
    {
        var sort = args.Sorts?.FirstOrDefault(s => s.SortOrder is not null);
        _view = _view with
        {
            Skip = _restorePage ? _view.Skip : args.Skip ?? 0,
            Take = args.Top ?? _view.Take,
            Sort = sort is null ? OnlineSortField.LastActivity : OnlineGridView.SortField(sort.Property),
            Descending = sort is null || sort.SortOrder == SortOrder.Descending,
        };
        Requery();
        WriteViewToUrl();
        await Task.CompletedTask;
    }

    private async Task ApplyFiltersAsync(OnlineQuery query)
    {
        _view = query with { Skip = 0, Sort = _view.Sort, Descending = _view.Descending, Take = _view.Take };
        Requery();
        WriteViewToUrl();
        if (_grid is not null) await _grid.FirstPage(forceReload: true);
    }

    private Task ClearFiltersAsync() => ApplyFiltersAsync(OnlineFilterChips.Clear(_view));

    private void Requery()
    {
        _now = Clock.GetUtcNow();
        _page = Tracker.Query(_view);
        if (_selectedKey is not null)
        {
            var row = _page.Items.FirstOrDefault(r => r.Key == _selectedKey) ?? Tracker.GetRow(_selectedKey);
            if (row != _selectedRow) _detailVersion++;
            _selectedRow = row;
        }
    }

    private void WriteViewToUrl()
    {
        if (!_live) return;
        var current = Navigation.ToAbsoluteUri(Navigation.Uri);
        var wanted = current.GetLeftPart(UriPartial.Path) + OnlineQueryString.Format(_view, OnlineGridView.DefaultPageSize);
        if (wanted != current.ToString()) Navigation.NavigateTo(wanted, new NavigationOptions { ReplaceHistoryEntry = true });
    }

    private async Task PumpChangesAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested && _subscription is not null)
            {
                var changes = await _subscription.ReadAsync(cancellationToken);
                var now = Clock.GetUtcNow();
                await InvokeAsync(async () =>
                {
                    foreach (var change in changes) _changedAt[change.Key] = now;
                    if (_selectedKey is not null && changes.Any(c => c.Key == _selectedKey)) _detailVersion++;
                    if (_paused) return;
                    await RefreshPageAsync();
                    LiveRefreshes++;
                    StateHasChanged();
                });
                // Coalesce bursts: whatever arrives meanwhile is read in one go on the next pass.
                await Task.Delay(RefreshInterval, Clock, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
        catch (Exception ex)
        {
            await DispatchExceptionAsync(ex);
        }
    }

    /// <summary>Re-reads the admin's page; when rows left and the page is now past the end, steps back to the last page.</summary>
    private async Task RefreshPageAsync()
    {
        Requery();
        if (_page.Items.Count == 0 && _view.Skip > 0 && _page.Total > 0 && _grid is not null)
            await _grid.GoToPage((_page.Total - 1) / _view.Take, forceReload: true);
    }

    private async Task TickAsync()
    {
        if (_stop.IsCancellationRequested) return;
        if (_paused) _now = Clock.GetUtcNow();
        else await RefreshPageAsync();
        StateHasChanged();
    }

    private async Task TogglePauseAsync()
    {
        _paused = !_paused;
        if (!_paused) await RefreshPageAsync();
    }

    /// <summary>Called from the browser when the circuit came back after a connection loss.</summary>
    [JSInvokable]
    public Task OnReconnectedAsync() => InvokeAsync(async () =>
    {
        if (!_paused) await RefreshPageAsync();
        StateHasChanged();
    });

    private void OnRowRender(RowRenderEventArgs<OnlineRow> args)
    {
        if (args.Data is null) return;
        args.Attributes["data-key"] = args.Data.Key;
        var classes = new List<string>(2);
        if (_changedAt.TryGetValue(args.Data.Key, out var at) && Clock.GetUtcNow() - at < HighlightFor) classes.Add("row-changed");
        if (args.Data.Key == _selectedKey) classes.Add("row-selected");
        if (classes.Count > 0) args.Attributes["class"] = string.Join(' ', classes);
    }

    private void OnRowClick(DataGridRowMouseEventArgs<OnlineRow> args)
    {
        if (args.Data is null) return;
        _selectedKey = args.Data.Key;
        _selectedRow = args.Data;
        _detailVersion++;
    }

    private void CloseDetails()
    {
        _selectedKey = null;
        _selectedRow = null;
    }

    private SortOrder? SortOrderOf(OnlineSortField field) =>
        _gridBuiltWith.Sort != field ? null : _gridBuiltWith.Descending ? SortOrder.Descending : SortOrder.Ascending;

    private async Task SaveColumnsAsync(GridColumns columns)
    {
        SetColumns(columns);
        try
        {
            await JS.InvokeVoidAsync("nowOnline.storage.set", await ColumnsStorageKeyAsync(), columns.ToJson());
        }
        catch (JSException)
        {
            // Private browsing or a full storage: the layout still applies to this page.
        }
    }

    private async Task LoadColumnsAsync()
    {
        try
        {
            var json = await JS.InvokeAsync<string?>("nowOnline.storage.get", await ColumnsStorageKeyAsync());
            var columns = GridColumns.FromJson(json);
            if (!columns.Columns.SequenceEqual(_columns.Columns)) SetColumns(columns);
        }
        catch (JSException)
        {
        }
    }

    /// <summary>Radzen reads column order once, so a new layout rebuilds the grid with the admin's current view.</summary>
    private void SetColumns(GridColumns columns)
    {
        _columns = columns;
        _gridBuiltWith = _view;
        _restorePage = _view.Skip > 0;
        _layoutVersion++;
    }

    private async Task<string> ColumnsStorageKeyAsync()
    {
        var email = AuthenticationState is null ? null : (await AuthenticationState).User.Identity?.Name;
        return string.IsNullOrEmpty(email) ? "nowOnline.columns" : $"nowOnline.columns:{email.ToLowerInvariant()}";
    }

    private async Task DetectTimeZoneAsync()
    {
        try
        {
            var id = await JS.InvokeAsync<string?>("nowOnline.timeZone");
            if (id is not null && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone))
                _timeZone = zone;
        }
        catch (JSException)
        {
            // Keep UTC when the browser does not say.
        }
    }

    private async Task WatchConnectionAsync()
    {
        _self = DotNetObjectReference.Create(this);
        try
        {
            await JS.InvokeVoidAsync("nowOnline.watchConnection", _self);
        }
        catch (JSException)
        {
        }
    }

    private string FormatTime(DateTimeOffset at) =>
        TimeZoneInfo.ConvertTime(at, _timeZone).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)
        + (_timeZone == TimeZoneInfo.Utc ? " UTC" : "");

    private static string Plural(int count, string word) => count == 1 ? word : word + "s";

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_ticker is not null) await _ticker.DisposeAsync();
        _subscription?.Dispose();
        _self?.Dispose();
        _stop.Dispose();
    }
}
