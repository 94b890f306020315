using System.Globalization;
using Microsoft.AspNetCore.Components;
using NowOnline.Core.Presence;

namespace NowOnline.Web.Components.Grid;

/// <summary>
/// One online row on a phone: who (or "Visitor"), type and when on top, then where (Last URL), e-mail, company and store
/// when present. The admin's Columns choice decides which of them show; the card is the row's one focusable item.
/// </summary>
public sealed partial class OnlineCard
{
    [Parameter, EditorRequired] public OnlineRow Row { get; set; } = default!;

    [Parameter] public GridColumns Columns { get; set; } = GridColumns.Default;

    [Parameter] public TimeZoneInfo TimeZone { get; set; } = TimeZoneInfo.Utc;

    [Parameter] public DateTimeOffset Now { get; set; }

    /// <summary>The row's details are open.</summary>
    [Parameter] public bool Selected { get; set; }

    /// <summary>The row changed a moment ago (highlighted).</summary>
    [Parameter] public bool Changed { get; set; }

    /// <summary>Unique on the page: names the card's details for screen readers.</summary>
    [Parameter] public string DetailsId { get; set; } = "card-details";

    [Parameter] public EventCallback<OnlineRow> Open { get; set; }

    private string CssClass => "online-card" + (Changed ? " card-changed" : "") + (Selected ? " card-selected" : "");

    private bool Shows(string column) => Columns.IsVisible(column);

    private string? Shown(string column, string? value) => Shows(column) && !string.IsNullOrWhiteSpace(value) ? value : null;

    /// <summary>The customer's name from the shown name columns (empty for visitors and when both are hidden).</summary>
    private string PersonName => $"{Shown("firstName", Row.FirstName)} {Shown("lastName", Row.LastName)}".Trim();

    /// <summary>The name; otherwise "Customer 42" or "Visitor".</summary>
    private string Name =>
        PersonName is { Length: > 0 } name ? name
        : Row.Type == SessionType.Visitor ? "Visitor"
        : Row.CustomerId is { } id ? $"Customer {id.ToString(CultureInfo.InvariantCulture)}" : "Customer";

    /// <summary>The ID beside a name (a nameless customer already has it in the name).</summary>
    private string? ShownId =>
        Shows("id") && Row.CustomerId is { } id && PersonName.Length > 0 ? id.ToString(CultureInfo.InvariantCulture) : null;

    private string? ShownUrl => Shown("lastUrl", Row.LastUrl) is { } url
        ? Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? LastUrlLink.Display(uri) : url
        : null;

    private bool HasDetails => ShownUrl is not null || Shown("email", Row.Email) is not null
        || Shown("company", Row.Company) is not null || Shown("store", Row.Store) is not null;

    private string Ago => RelativeTime.Ago(Row.LastActivity, Now);

    /// <summary>The time of day for today's activity in the admin's zone, with the date otherwise.</summary>
    private string LocalTime
    {
        get
        {
            var local = TimeZoneInfo.ConvertTime(Row.LastActivity, TimeZone);
            var today = TimeZoneInfo.ConvertTime(Now, TimeZone).Date == local.Date;
            return local.ToString(today ? "HH:mm:ss" : "yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)
                + (TimeZone == TimeZoneInfo.Utc ? " UTC" : "");
        }
    }
}
