using NowOnline.Core.Ingestion;
using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Routing;
using Microsoft.JSInterop;
using NowOnline.Core.Settings;
using NowOnline.Web.Api.Settings;
using MudBlazor;

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
    private MudForm _form = default!;

    [Inject] private SettingsService Settings { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
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

    private static IEnumerable<string> Messages(string field, SettingsDraft draft) =>
        SettingsValidator.Validate(draft).Errors.TryGetValue(field, out var messages) ? messages : [];

    private void Edit(SettingsDraft draft)
    {
        _draft = draft;
        // Inline messages follow the typing, so the admin sees what is wrong before saving.
        _errors = SettingsValidator.Validate(draft).Errors;
    }

    private async Task SaveAsync()
    {
        if (_saving) return;
        await _form.ValidateAsync();
        var validation = SettingsValidator.Validate(_draft);
        _errors = validation.Errors;
        if (!validation.IsValid)
        {
            Notify(Severity.Error, "Not saved: correct the highlighted fields; nothing was saved.");
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
                    Notify(Severity.Success,
                        $"Configuration saved: Online Minutes Interval {result.Current.Settings.OnlineMinutesInterval} min, Customer Data Lifetime " +
                        $"{result.Current.Settings.CustomerDataLifetime} min. The online list uses the new interval now.");
                    break;
                case SettingsSaveOutcome.Unchanged:
                    Show(result.Current);
                    Notify(Severity.Info, "Nothing to save: the values are the ones already saved.");
                    break;
                default:
                    _conflict = SettingsConflict.Message(result.Current, _timeZone);
                    _history = await Settings.GetHistoryAsync(HistorySize);
                    Notify(Severity.Warning, $"Not saved: {_conflict}");
                    break;
            }
        }
        catch (StorageUnavailableException)
        {
            Notify(Severity.Error, "Not saved: the settings store cannot be written right now; nothing was saved. Try again in a moment.");
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
        if (!await LeaveWithoutSavingDialog.AskAsync(Dialogs)) context.PreventNavigation();
    }

    // Errors and conflicts stay until the admin closes them; a confirmation goes by itself.
    private void Notify(Severity severity, string message) => Snackbar.Add(message, severity, options =>
    {
        options.VisibleStateDuration = severity is Severity.Success or Severity.Info ? 6000 : 12000;
        options.ShowCloseIcon = true;
    });

    private string FormatTime(DateTimeOffset at) => SettingsHistory.Format(at, _timeZone);

    public void Dispose() => Settings.Changed -= OnSettingsChanged;
}
