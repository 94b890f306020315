using System.Globalization;
using Microsoft.AspNetCore.Components;
using NowOnline.Core.Presence;
using NowOnline.Web.Api.Online;

namespace NowOnline.Web.Components.Grid;

public sealed partial class OnlineFilters : IDisposable
{
    public static readonly int[] QuickPicks = [1, 5, 15];
    private static readonly TimeSpan SearchDelay = TimeSpan.FromMilliseconds(300);

    private CancellationTokenSource? _typing;
    private bool _open;
    private string? _problem;

    [Parameter, EditorRequired] public OnlineQuery Query { get; set; } = new();

    [Parameter] public TimeZoneInfo TimeZone { get; set; } = TimeZoneInfo.Utc;

    [Parameter] public EventCallback<OnlineQuery> QueryChanged { get; set; }

    private IReadOnlyList<FilterChip> Chips => OnlineFilterChips.For(Query, TimeZone);

    private int ColumnFilterCount => Chips.Count(c => c.Name is not ("search" or "type" or "activityWithin"));

    private string ZoneName => TimeZone == TimeZoneInfo.Utc ? "UTC" : TimeZone.Id;

    protected override void OnInitialized() => _open = ColumnFilterCount > 0;

    private async Task SetAsync(OnlineQuery query)
    {
        _typing?.Cancel();
        if (query == Query) return;
        await QueryChanged.InvokeAsync(query with { Skip = 0 });
    }

    private async Task SearchTypedAsync(ChangeEventArgs e)
    {
        _typing?.Cancel();
        var typing = _typing = new CancellationTokenSource();
        try
        {
            await Task.Delay(SearchDelay, typing.Token);
        }
        catch (TaskCanceledException)
        {
            return;
        }

        var search = Text(e);
        if (search != Query.Search) await QueryChanged.InvokeAsync(Query with { Search = search, Skip = 0 });
    }

    private string? Text(ChangeEventArgs e)
    {
        _problem = null;
        var text = e.Value?.ToString()?.Trim();
        if (string.IsNullOrEmpty(text)) return null;
        if (text.Length > OnlineQueryParser.MaxFilterLength || text.Any(char.IsControl))
        {
            _problem = $"A filter can hold at most {OnlineQueryParser.MaxFilterLength} plain characters.";
            return null;
        }

        return text;
    }

    private long? WholeNumber(ChangeEventArgs e, string field)
    {
        var text = Text(e);
        if (text is null) return null;
        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= 0) return value;
        _problem = $"{field} must be a whole number of 0 or more.";
        return null;
    }

    private string? LocalInput(DateTimeOffset? at) =>
        at is { } value ? TimeZoneInfo.ConvertTime(value, TimeZone).ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) : null;

    private DateTimeOffset? FromLocal(ChangeEventArgs e, string field)
    {
        var text = Text(e);
        if (text is null) return null;
        if (!DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            _problem = $"{field} is not a date and time.";
            return null;
        }

        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (TimeZone.IsInvalidTime(local))
        {
            _problem = $"{field}: {local:yyyy-MM-dd HH:mm} does not exist in {ZoneName} (the clocks skip it).";
            return null;
        }

        return new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(local, TimeZone), TimeSpan.Zero);
    }

    public void Dispose() => _typing?.Cancel();
}
