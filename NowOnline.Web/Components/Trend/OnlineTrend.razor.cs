using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using NowOnline.Core.Trend;
using NowOnline.Web.Components.Grid;

namespace NowOnline.Web.Components.Trend;

/// <summary>
/// The Now Online trend: customers and visitors online over the last hour (lines) and events per minute (bars), redrawn
/// when the sampler adds a minute's point. Times are in the admin's own time zone, as the grid's are (UTC until the
/// browser has said which, or when it does not).
/// </summary>
public sealed partial class OnlineTrend : ComponentBase, IDisposable
{
    private TrendChart _chart = TrendChart.Empty;

    private TimeZoneInfo _zone = TimeZoneInfo.Utc;

    [Inject] private TrendHistory History { get; set; } = default!;

    [Inject] private IJSRuntime JS { get; set; } = default!;

    private bool IsUtc => _zone == TimeZoneInfo.Utc;

    private string Summary =>
        $"Online trend, last 60 minutes: {_chart.Latest.Customers} customers and {_chart.Latest.Visitors} visitors online " +
        $"at {Clock(_chart.End)}, {_chart.Latest.Events} events in that minute.";

    private string Minute(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, _zone).ToString("HH:mm", CultureInfo.InvariantCulture);

    private string Clock(DateTimeOffset at) => Minute(at) + (IsUtc ? " UTC" : "");

    protected override void OnInitialized()
    {
        _chart = TrendChart.From(History.Points);
        History.Changed += OnChanged;
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender) return;
        var zone = await BrowserTimeZone.DetectAsync(JS);
        if (zone == _zone) return;
        _zone = zone;
        StateHasChanged();
    }

    private void OnChanged() => _ = RedrawAsync();

    private async Task RedrawAsync()
    {
        try
        {
            await InvokeAsync(() =>
            {
                _chart = TrendChart.From(History.Points);
                StateHasChanged();
            });
        }
        catch (Exception e)
        {
            await DispatchExceptionAsync(e);
        }
    }

    public void Dispose() => History.Changed -= OnChanged;
}
