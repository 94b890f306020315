using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.JSInterop;
using NowOnline.Core.Presence;
using NowOnline.Web.Api.Online;

namespace NowOnline.Web.Components.Grid;

/// <summary>
/// The live Now Online grid. It asks the tracker for one page at a time (filter, sort and page run on the
/// server), keeps the admin's view in the URL, and follows the tracker's change feed without touching the admin's
/// filters, sort, page, selection or open details: a change reaches an idle admin at once, bursts are coalesced.
/// </summary>
public sealed partial class OnlineGrid
{
    /// <summary>How often the grid re-reads its page at most while changes keep arriving back to back.</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>The shortest pause between two re-reads, so a change that follows another closely rides along.</summary>
    public static readonly TimeSpan MinRefreshGap = TimeSpan.FromMilliseconds(20);

    /// <summary>How many passes in a row must find changes already waiting before the grid slows to <see cref="RefreshInterval"/>.</summary>
    private const int BusyPasses = 4;

    /// <summary>How often relative times ("2 min ago") and sliding "last N min" filters are brought up to date.</summary>
    public static readonly TimeSpan TickInterval = TimeSpan.FromSeconds(15);

    private static readonly TimeSpan HighlightFor = TimeSpan.FromSeconds(2);

    private readonly CancellationTokenSource _stop = new();
    private readonly Dictionary<string, DateTimeOffset> _changedAt = new(StringComparer.Ordinal);
    private readonly List<string> _urlProblems = [];
    private OnlineQuery _view = new() { Take = OnlineGridView.DefaultPageSize };
    private OnlinePage _page = new(0, [], 0, 0, 0);
    private PresenceSubscription? _subscription;
    private ITimer? _ticker;
    private DotNetObjectReference<OnlineGrid>? _self;
    private TimeZoneInfo _timeZone = TimeZoneInfo.Utc;
    private GridColumns _columns = GridColumns.Default;
    private ColumnLayoutStore _layoutStore = default!;
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
            // What the admin sees: the visible columns in their order.
            query += (query.Length == 0 ? "?" : "&") + "columns=" + string.Join(",", _columns.Columns.Where(c => c.Visible).Select(c => c.Key));
            return OnlineExportApi.Path.TrimStart('/') + query;
        }
    }

    protected override void OnInitialized()
    {
        _now = Clock.GetUtcNow();
        ReadViewFromUrl();
        _page = Tracker.Query(_view);
        _subscription = Tracker.Subscribe();
        _layoutStore = new ColumnLayoutStore(JS, AuthenticationState);
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender) return;
        _ = PumpChangesAsync(_stop.Token);
        _ticker = Clock.CreateTimer(_ => _ = InvokeAsync(Tick), null, TickInterval, TickInterval);
        _live = true;
        _timeZone = await BrowserTimeZone.DetectAsync(JS);
        _columns = await _layoutStore.LoadAsync();
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

    private void ShowView(OnlineQuery view)
    {
        _view = view;
        Requery();
        WriteViewToUrl();
    }

    private void Sort(string columnKey) => ShowView(OnlineGridView.SortBy(_view, columnKey));

    private void GoToPage(int page) => ShowView(_view with { Skip = Math.Max(0, page) * _view.Take });

    private void SetPageSize(int take)
    {
        if (OnlineGridView.PageSizes.Contains(take) && take != _view.Take) ShowView(_view with { Take = take, Skip = 0 });
    }

    private void ApplyFilters(OnlineQuery query) =>
        ShowView(query with { Skip = 0, Sort = _view.Sort, Descending = _view.Descending, Take = _view.Take });

    private void ClearFilters() => ApplyFilters(OnlineFilterChips.Clear(_view));

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
            var busy = 0;
            while (!cancellationToken.IsCancellationRequested && _subscription is not null)
            {
                var read = _subscription.ReadAsync(cancellationToken);
                // Changes already waiting mean the shop is busy: after a few such passes, re-read at a calmer pace.
                busy = read.IsCompleted ? busy + 1 : 0;
                var changes = await read;
                var now = Clock.GetUtcNow();
                await InvokeAsync(() =>
                {
                    foreach (var change in changes) _changedAt[change.Key] = now;
                    if (_selectedKey is not null && changes.Any(c => c.Key == _selectedKey)) _detailVersion++;
                    if (_paused) return;
                    RefreshPage();
                    StateHasChanged();
                });
                await Task.Delay(busy >= BusyPasses ? RefreshInterval : MinRefreshGap, Clock, cancellationToken);
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
    private void RefreshPage()
    {
        Requery();
        if (_page.Items.Count == 0 && _view.Skip > 0 && _page.Total > 0)
            ShowView(_view with { Skip = (_page.Total - 1) / _view.Take * _view.Take });
    }

    private void Tick()
    {
        if (_stop.IsCancellationRequested) return;
        if (_paused) _now = Clock.GetUtcNow();
        else RefreshPage();
        StateHasChanged();
    }

    private void TogglePause()
    {
        _paused = !_paused;
        if (!_paused) RefreshPage();
    }

    /// <summary>Called from the browser when the circuit came back after a connection loss.</summary>
    [JSInvokable]
    public Task OnReconnectedAsync() => InvokeAsync(() =>
    {
        if (!_paused) RefreshPage();
        StateHasChanged();
    });

    private HashSet<string> RecentlyChanged()
    {
        var now = Clock.GetUtcNow();
        var changed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, at) in _changedAt)
        {
            if (now - at < HighlightFor) changed.Add(key);
            else _changedAt.Remove(key);
        }

        return changed;
    }

    private void SelectRow(OnlineRow row)
    {
        _selectedKey = row.Key;
        _selectedRow = row;
        _detailVersion++;
    }

    private async Task SaveColumnsAsync(GridColumns columns)
    {
        _columns = columns;
        await _layoutStore.SaveAsync(columns);
    }

    private async Task CloseColumnsAsync()
    {
        _columnsOpen = false;
        await FocusAsync("nowOnline.focusTestId", "columns-toggle");
    }

    private async Task CloseDetailsAsync()
    {
        var key = _selectedKey;
        _selectedKey = null;
        _selectedRow = null;
        if (key is not null) await FocusAsync("nowOnline.focusRow", key);
    }

    private async Task FocusAsync(string function, string argument)
    {
        try
        {
            await JS.InvokeVoidAsync(function, argument);
        }
        catch (JSException)
        {
        }
    }

    private async Task WatchConnectionAsync()
    {
        _self = DotNetObjectReference.Create(this);
        try
        {
            await JS.InvokeVoidAsync("nowOnline.watchConnection", _self);
            await JS.InvokeVoidAsync("nowOnline.closeDetailsOnEscape");
        }
        catch (JSException)
        {
        }
    }

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
