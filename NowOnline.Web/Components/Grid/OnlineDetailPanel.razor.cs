using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using MudBlazor;
using Microsoft.Data.Sqlite;
using NowOnline.Core.Persistence;
using NowOnline.Core.Presence;

namespace NowOnline.Web.Components.Grid;

public sealed partial class OnlineDetailPanel
{
    private OnlineRow? _row;
    private CustomerProfile? _profile;
    private IReadOnlyList<SessionSnapshot> _sessions = [];
    private IReadOnlyList<CartLine> _cart = [];
    private IReadOnlyList<ActivityEvent> _timeline = [];
    private string? _timelineSession;
    private string? _timelineError;
    private (string Key, int Version)? _loaded;
    private MudIconButton? _close;
    private string? _focusedFor;

    [Inject] private PresenceTracker Tracker { get; set; } = default!;
    [Inject] private SessionTimeline Timeline { get; set; } = default!;

    /// <summary>The row the panel is about; it stays open when the row changes or leaves the list.</summary>
    [Parameter, EditorRequired] public string RowKey { get; set; } = "";

    /// <summary>The row as it is now, or null once it left the online list (the panel keeps what it knew).</summary>
    [Parameter] public OnlineRow? Row { get; set; }

    /// <summary>Bumped by the grid whenever the row changed, so the panel re-reads sessions, cart and timeline.</summary>
    [Parameter] public int Version { get; set; }

    [Parameter] public TimeZoneInfo TimeZone { get; set; } = TimeZoneInfo.Utc;

    [Parameter] public DateTimeOffset Now { get; set; }

    [Parameter] public EventCallback Close { get; set; }

    private string Title => _profile is { } p && $"{p.FirstName} {p.LastName}".Trim() is { Length: > 0 } name
        ? name
        : _row?.Type == SessionType.Customer ? $"Customer {_row.CustomerId}" : "Visitor";

    protected override async Task OnParametersSetAsync()
    {
        if (_loaded == (RowKey, Version)) return;
        var keyChanged = _loaded?.Key != RowKey;
        _loaded = (RowKey, Version);
        if (keyChanged)
        {
            _row = null;
            _timelineSession = null;
        }

        _row = Row ?? _row;
        if (_row is null) return;

        _profile = _row.CustomerId is { } id ? Tracker.GetCustomer(id) : null;
        _sessions = _row.CustomerId is { } customerId
            ? Tracker.GetCustomerSessions(customerId)
            : Row is null ? [] : Tracker.GetSessionSnapshot(_row.SessionId) is { } snapshot ? [snapshot] : [];
        _cart = Tracker.GetCart(_row.CustomerId, _row.SessionId);
        if (_timelineSession is null || (keyChanged && _sessions.All(s => s.SessionId != _timelineSession)))
            _timelineSession = _row.SessionId;
        await LoadTimelineAsync();
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        // Opening details for another row moves the keyboard into the panel; live updates leave focus where it is.
        if (_focusedFor == RowKey || _close is null) return;
        _focusedFor = RowKey;
        await _close.FocusAsync();
    }

    private Task OnKeyDown(KeyboardEventArgs e) => e.Key == "Escape" ? Close.InvokeAsync() : Task.CompletedTask;

    private async Task ShowTimelineAsync(string sessionId)
    {
        _timelineSession = sessionId;
        await LoadTimelineAsync();
    }

    private async Task LoadTimelineAsync()
    {
        if (_timelineSession is null) return;
        try
        {
            _timeline = await Timeline.RecentAsync(_timelineSession);
            _timelineError = null;
        }
        catch (SqliteException)
        {
            _timeline = [];
            _timelineError = "The activity log cannot be read right now.";
        }
    }

    private string Local(DateTimeOffset at) =>
        TimeZoneInfo.ConvertTime(at, TimeZone).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    private string LocalTime(DateTimeOffset at) =>
        TimeZoneInfo.ConvertTime(at, TimeZone).ToString("HH:mm:ss", CultureInfo.InvariantCulture);

    private static string Describe(ActivityEvent activity) => activity.Type switch
    {
        ActivityType.Login => "Signed in",
        ActivityType.Register => "Registered",
        ActivityType.Logout => "Signed out",
        ActivityType.CartAdd => $"Added {activity.Item?.Qty} × {ItemName(activity.Item)}",
        ActivityType.CartRemove => $"Removed {ItemName(activity.Item)}",
        ActivityType.CartUpdate => $"Set {ItemName(activity.Item)} to {activity.Item?.Qty}",
        ActivityType.PageView => "Viewed",
        _ => activity.Type.ToString(),
    };

    private static string ItemName(CartLine? item) => item is null ? "an item" : item.Name is { Length: > 0 } name ? $"{name} ({item.Sku})" : item.Sku;
}
