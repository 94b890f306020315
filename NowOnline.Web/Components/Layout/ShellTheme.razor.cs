using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.JSInterop;
using MudBlazor;

namespace NowOnline.Web.Components.Layout;

/// <summary>
/// Follows the browser's <c>prefers-color-scheme</c> until the admin picks light or dark; the pick is kept in the
/// browser's localStorage under a key per admin (as the grid keeps its column layout), so each admin keeps their own.
/// </summary>
public sealed partial class ShellTheme
{
    private MudThemeProvider _provider = default!;
    private string? _storageKey;
    private bool _systemDark;

    [Inject] private IJSRuntime JS { get; set; } = default!;

    [CascadingParameter] private Task<AuthenticationState>? Authentication { get; set; }

    /// <summary>When false (the sign-in page) the theme only follows the browser: nobody is signed in to remember it for.</summary>
    [Parameter] public bool RememberPerAdmin { get; set; } = true;

    [Parameter] public RenderFragment? ChildContent { get; set; }

    public ThemeChoice Choice { get; private set; } = ThemeChoice.System;

    public bool IsDark => Choice switch
    {
        ThemeChoice.Dark => true,
        ThemeChoice.Light => false,
        _ => _systemDark,
    };

    /// <summary>Raised after the theme changed (a pick, or the browser's preference while following it).</summary>
    public event Action? Changed;

    public static string StorageKey(string admin) => $"nowOnline.theme:{admin.ToLowerInvariant()}";

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender) return;
        try
        {
            var admin = RememberPerAdmin && Authentication is not null ? (await Authentication).User.Identity?.Name : null;
            _storageKey = string.IsNullOrEmpty(admin) ? null : StorageKey(admin);
            if (_storageKey is not null) Choice = Parse(await JS.InvokeAsync<string?>("nowOnlineShell.theme.get", _storageKey));
            _systemDark = await _provider.GetSystemDarkModeAsync();
            await _provider.WatchSystemDarkModeAsync(OnSystemDarkModeChangedAsync);
        }
        catch (JSDisconnectedException)
        {
            return;
        }

        Changed?.Invoke();
        StateHasChanged();
    }

    /// <summary>Applies and remembers the admin's pick (<see cref="ThemeChoice.System"/> forgets it).</summary>
    public async Task ChooseAsync(ThemeChoice choice)
    {
        Choice = choice;
        Changed?.Invoke();
        StateHasChanged();
        if (_storageKey is null) return;
        var stored = choice == ThemeChoice.System ? null : choice.ToString().ToLowerInvariant();
        await JS.InvokeVoidAsync("nowOnlineShell.theme.set", _storageKey, stored);
    }

    private Task OnSystemDarkModeChangedAsync(bool dark) => InvokeAsync(() =>
    {
        _systemDark = dark;
        if (Choice != ThemeChoice.System) return;
        Changed?.Invoke();
        StateHasChanged();
    });

    private static ThemeChoice Parse(string? stored) => stored switch
    {
        "light" => ThemeChoice.Light,
        "dark" => ThemeChoice.Dark,
        _ => ThemeChoice.System,
    };
}
