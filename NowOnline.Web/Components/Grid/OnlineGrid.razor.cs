using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using NowOnline.Core.Presence;
using Radzen;
using Radzen.Blazor;

namespace NowOnline.Web.Components.Grid;

/// <summary>
/// The live Now Online grid. It asks the tracker for one page at a time (filter, sort and page run on
/// the server) and subscribes to the tracker's change feed, re-reading its page at most a few times a second.
/// </summary>
public sealed partial class OnlineGrid
{
    /// <summary>How often the grid re-reads its page while changes keep arriving.</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan HighlightFor = TimeSpan.FromSeconds(2);

    private readonly CancellationTokenSource _stop = new();
    private readonly Dictionary<string, DateTimeOffset> _changedAt = new(StringComparer.Ordinal);
    private RadzenDataGrid<OnlineRow>? _grid;
    private OnlineQuery _query = new() { Take = OnlineGridView.DefaultPageSize };
    private OnlinePage _page = new(0, [], 0, 0, 0);
    private PresenceSubscription? _subscription;
    private TimeZoneInfo _timeZone = TimeZoneInfo.Utc;
    private bool _live;

    [Inject] private PresenceTracker Tracker { get; set; } = default!;
    [Inject] private TimeProvider Clock { get; set; } = default!;
    [Inject] private IJSRuntime JS { get; set; } = default!;

    /// <summary>Number of times the grid re-read its page because of live changes (for tests and diagnostics).</summary>
    public int LiveRefreshes { get; private set; }

    private string LiveState => _live ? "live" : "connecting";

    private string CountText =>
        $"{_page.Online} online ({_page.Customers} {Plural(_page.Customers, "customer")}, {_page.Visitors} {Plural(_page.Visitors, "visitor")})";

    protected override void OnInitialized()
    {
        _page = Tracker.Query(_query);
        _subscription = Tracker.Subscribe();
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender) return;
        _ = PumpChangesAsync(_stop.Token);
        _live = true;
        await DetectTimeZoneAsync();
        StateHasChanged();
    }

    private async Task LoadDataAsync(LoadDataArgs args)
    {
        var sort = args.Sorts?.FirstOrDefault(s => s.SortOrder is not null);
        _query = _query with
        {
            Skip = args.Skip ?? 0,
            Take = args.Top ?? OnlineGridView.DefaultPageSize,
            Sort = sort is null ? OnlineSortField.LastActivity : OnlineGridView.SortField(sort.Property),
            Descending = sort is null || sort.SortOrder == SortOrder.Descending,
        };
        _page = Tracker.Query(_query);
        await Task.CompletedTask;
    }

    private async Task PumpChangesAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested && _subscription is not null)
            {
                var changes = await _subscription.ReadAsync(cancellationToken);
                var now = Clock.GetUtcNow();
                await InvokeAsync(() =>
                {
                    foreach (var change in changes) _changedAt[change.Key] = now;
                    _page = Tracker.Query(_query);
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

    private void OnRowRender(RowRenderEventArgs<OnlineRow> args)
    {
        if (args.Data is null) return;
        args.Attributes["data-key"] = args.Data.Key;
        if (_changedAt.TryGetValue(args.Data.Key, out var at) && Clock.GetUtcNow() - at < HighlightFor)
            args.Attributes["class"] = "row-changed";
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

    private string FormatTime(DateTimeOffset at) =>
        TimeZoneInfo.ConvertTime(at, _timeZone).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)
        + (_timeZone == TimeZoneInfo.Utc ? " UTC" : "");

    private static string Plural(int count, string word) => count == 1 ? word : word + "s";

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _subscription?.Dispose();
        _stop.Dispose();
    }
}
