using NowOnline.Core.Ingestion;
using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Routing;
using Microsoft.JSInterop;
using NowOnline.Core.Settings;
using NowOnline.Web.Api.Settings;
using Radzen;

namespace NowOnline.Web.Components.Settings;

/// <summary>
/// Stores › Settings › Configuration › Customers › Customer Configuration › Online Customers Options.
/// Validates with the same <see cref="SettingsValidator"/> as the API, saves with the version it loaded (a save by
/// another admin in between is reported, never overwritten) and asks before leaving with unsaved changes.
/// </summary>
public sealed partial class OnlineCustomersOptions
{
    private const int HistorySize = 10;
    private SettingsDraft _draft = new(null, null);
    private VersionedSettings _loaded = VersionedSettings.Initial;
    private long _version;
    private IReadOnlyDictionary<string, string[]> _errors = new Dictionary<string, string[]>();
    private IReadOnlyList<SettingsChange> _history = [];
    private TimeZoneInfo _timeZone = TimeZoneInfo.Utc;
    private string? _conflict;
    private bool _saving;
    private bool _interactive;

    [Inject] private SettingsService Settings { get; set; } = default!;
    [Inject] private NotificationService Notifications { get; set; } = default!;
    [Inject] private DialogService Dialogs { get; set; } = default!;
    [Inject] private IJSRuntime JS { get; set; } = default!;
    [CascadingParameter] private Task<AuthenticationState>? Authentication { get; set; }

    /// <summary>True when the form holds values that differ from the saved ones (or cannot be saved).</summary>
    public bool IsDirty
    {
        get
        {
            var typed = SettingsValidator.Validate(_draft);
            return typed.Settings != _loaded.Settings;
        }
    }

    protected override async Task OnInitializedAsync()
    {
        Settings.Changed += OnSettingsChanged;
        Show(Settings.Current);
        _history = await Settings.GetHistoryAsync(HistorySize);
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender) return;
        _interactive = true;
        try
        {
            var id = await JS.InvokeAsync<string?>("nowOnline.timeZone");
            if (id is not null && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone)) _timeZone = zone;
        }
        catch (JSException)
        {
            // Keep UTC when the browser does not say.
        }

        StateHasChanged();
    }

    private string[]? Error(string field) => _errors.TryGetValue(field, out var messages) ? messages : null;

    private void Edit(SettingsDraft draft)
    {
        _draft = draft;
        // Inline messages follow the typing, so the admin sees what is wrong before saving.
        _errors = SettingsValidator.Validate(draft).Errors;
    }

    private async Task SaveAsync()
    {
        if (_saving) return;
        var validation = SettingsValidator.Validate(_draft);
        _errors = validation.Errors;
        if (!validation.IsValid)
        {
            Notifications.Notify(NotificationSeverity.Error, "Not saved", "Correct the highlighted fields; nothing was saved.", TimeSpan.FromSeconds(6));
            return;
        }

        _saving = true;
        try
        {
            var who = Authentication is null ? null : SettingsApi.AdminName((await Authentication).User);
            var result = await Settings.SaveAsync(validation.Settings!, _version, who);
            switch (result.Outcome)
            {
                case SettingsSaveOutcome.Saved:
                    Show(result.Current);
                    _history = await Settings.GetHistoryAsync(HistorySize);
                    Notifications.Notify(NotificationSeverity.Success, "Configuration saved",
                        $"Online Minutes Interval {result.Current.Settings.OnlineMinutesInterval} min, Customer Data Lifetime " +
                        $"{result.Current.Settings.CustomerDataLifetime} min. The online list uses the new interval now.", TimeSpan.FromSeconds(6));
                    break;
                case SettingsSaveOutcome.Unchanged:
                    Show(result.Current);
                    Notifications.Notify(NotificationSeverity.Info, "Nothing to save", "The values are the ones already saved.", TimeSpan.FromSeconds(4));
                    break;
                default:
                    _conflict = SettingsConflict.Message(result.Current, _timeZone);
                    _history = await Settings.GetHistoryAsync(HistorySize);
                    Notifications.Notify(NotificationSeverity.Warning, "Not saved", _conflict, TimeSpan.FromSeconds(10));
                    break;
            }
        }
        catch (StorageUnavailableException)
        {
            Notifications.Notify(NotificationSeverity.Error, "Not saved",
                "The settings store cannot be written right now; nothing was saved. Try again in a moment.", TimeSpan.FromSeconds(10));
        }
        finally
        {
            _saving = false;
        }
    }

    private void Reload() => Show(Settings.Current);

    private void Show(VersionedSettings current)
    {
        _loaded = current;
        _version = current.Version;
        _draft = SettingsDraft.From(current.Settings);
        _errors = new Dictionary<string, string[]>();
        _conflict = null;
    }

    private void OnSettingsChanged(VersionedSettings saved) => _ = InvokeAsync(async () =>
    {
        // Our own save is handled where it was made; this is another admin's (or another tab's).
        if (_saving || saved.Version <= _version) return;
        if (IsDirty) _conflict = SettingsConflict.Message(saved, _timeZone);
        else Show(saved);
        _history = await Settings.GetHistoryAsync(HistorySize);
        StateHasChanged();
    });

    private async Task ConfirmLeavingAsync(LocationChangingContext context)
    {
        if (!IsDirty) return;
        var leave = await Dialogs.Confirm("The changes you made to the Online Customers Options have not been saved.",
            "Leave without saving?", new ConfirmOptions { OkButtonText = "Leave", CancelButtonText = "Stay" });
        if (leave != true) context.PreventNavigation();
    }

    private string FormatTime(DateTimeOffset at) => SettingsHistory.Format(at, _timeZone);

    public void Dispose() => Settings.Changed -= OnSettingsChanged;
}
