using Microsoft.AspNetCore.Components;
using NowOnline.Core.Trend;

namespace NowOnline.Web.Components.Trend;

/// <summary>
/// The Now Online trend: customers and visitors online over the last hour (lines) and events per minute (bars), redrawn
/// when the sampler adds a minute's point.
/// </summary>
public sealed partial class OnlineTrend : ComponentBase, IDisposable
{
    private TrendChart _chart = TrendChart.Empty;

    [Inject] private TrendHistory History { get; set; } = default!;

    private string Summary =>
        $"Online trend, last 60 minutes: {_chart.Latest.Customers} customers and {_chart.Latest.Visitors} visitors online " +
        $"at {_chart.End:HH:mm} UTC, {_chart.Latest.Events} events in that minute.";

    protected override void OnInitialized()
    {
        _chart = TrendChart.From(History.Points);
        History.Changed += OnChanged;
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
