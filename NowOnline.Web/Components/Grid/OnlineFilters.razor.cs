using System.Globalization;
using Microsoft.AspNetCore.Components;
using NowOnline.Core.Presence;
using NowOnline.Web.Api.Online;

namespace NowOnline.Web.Components.Grid;

public sealed partial class OnlineFilters
{
    public static readonly int[] QuickPicks = [1, 5, 15];
    private bool _open;
    private MudBlazor.MudButton? _toggle;
    private string? _problem;

    // False while prerendering: the circuit's first render replaces the fields, so they take no typing until it runs.
    private bool Ready { get; set; }

    [Parameter, EditorRequired] public OnlineQuery Query { get; set; } = new();

    [Parameter] public TimeZoneInfo TimeZone { get; set; } = TimeZoneInfo.Utc;

    [Parameter] public EventCallback<OnlineQuery> QueryChanged { get; set; }

    private IReadOnlyList<FilterChip> Chips => OnlineFilterChips.For(Query, TimeZone);

    private int ColumnFilterCount => Chips.Count(c => c.Name is not ("search" or "type" or "activityWithin"));

    private string ZoneName => TimeZone == TimeZoneInfo.Utc ? "UTC" : TimeZone.Id;

    protected override void OnInitialized() => _open = ColumnFilterCount > 0;

    /// <summary>The panel's close button (on a phone the toggle is far above a full-width panel) and Escape; focus goes back to the toggle.</summary>
    private async Task ClosePanelAsync()
    {
        _open = false;
        if (_toggle is not null) await _toggle.FocusAsync();
    }

    private Task PanelKeyDown(Microsoft.AspNetCore.Components.Web.KeyboardEventArgs e) => e.Key == "Escape" ? ClosePanelAsync() : Task.CompletedTask;

    protected override void OnAfterRender(bool firstRender)
    {
        if (!firstRender) return;
        Ready = true;
        StateHasChanged();
    }

    private async Task SetAsync(OnlineQuery query)
    {
        if (query == Query) return;
        await QueryChanged.InvokeAsync(query with { Skip = 0 });
    }

    // MudTextField waits for a pause in typing (DebounceInterval) before it reports the value.
    private async Task SearchTyped(string? value)
    {
        var search = Text(value);
        if (search != Query.Search) await QueryChanged.InvokeAsync(Query with { Search = search, Skip = 0 });
    }

    private static readonly (string Key, string Label)[] TextFilters =
    [
        ("firstName", "First Name"), ("lastName", "Last Name"), ("email", "Email"), ("company", "Company"), ("lastUrl", "Last URL"), ("store", "Store"),
    ];

    private string? TextOf(string key) => key switch
    {
        "firstName" => Query.FirstName,
        "lastName" => Query.LastName,
        "email" => Query.Email,
        "company" => Query.Company,
        "lastUrl" => Query.LastUrl,
        _ => Query.Store,
    };

    private OnlineQuery WithText(string key, string? value) => key switch
    {
        "firstName" => Query with { FirstName = value },
        "lastName" => Query with { LastName = value },
        "email" => Query with { Email = value },
        "company" => Query with { Company = value },
        "lastUrl" => Query with { LastUrl = value },
        _ => Query with { Store = value },
    };

    private string? Text(string? value)
    {
        _problem = null;
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text)) return null;
        if (text.Length > OnlineQueryParser.MaxFilterLength || text.Any(char.IsControl))
        {
            _problem = $"A filter can hold at most {OnlineQueryParser.MaxFilterLength} plain characters.";
            return null;
        }

        return text;
    }

    private long? WholeNumber(string? input, string field)
    {
        var text = Text(input);
        if (text is null) return null;
        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= 0) return value;
        _problem = $"{field} must be a whole number of 0 or more.";
        return null;
    }

    private string? LocalInput(DateTimeOffset? at) =>
        at is { } value ? TimeZoneInfo.ConvertTime(value, TimeZone).ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) : null;

    private DateTimeOffset? FromLocal(string? value, string field)
    {
        var text = Text(value);
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
}
