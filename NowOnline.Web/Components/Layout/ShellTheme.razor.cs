using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.JSInterop;
using MudBlazor;

namespace NowOnline.Web.Components.Layout;

/// <summary>
/// Follows the browser's <c>prefers-color-scheme</c> until the admin picks light or dark; the pick is kept in the
/// browser's localStorage under a key per admin (as the grid keeps its column layout), so each admin keeps their own.
/// The server cannot read localStorage, so the theme the browser last showed is also kept in a cookie
/// (<see cref="ShownCookie"/>): the prerendered first paint uses it and the page does not flash light before a dark pick
/// applies. The per-admin pick still decides once the circuit runs.
/// </summary>
public sealed partial class ShellTheme
{
    private MudThemeProvider _provider = default!;
    private string? _storageKey;
    private bool _systemDark;
    private bool _resolved;

    /// <summary>The cookie holding the theme this browser last showed: <c>dark</c> or <c>light</c>.</summary>
    public const string ShownCookie = "nowonline-theme";

    [Inject] private IJSRuntime JS { get; set; } = default!;

    [CascadingParameter] private Task<AuthenticationState>? Authentication { get; set; }

    /// <summary>When false (the sign-in page) the theme only follows the browser: nobody is signed in to remember it for.</summary>
    [Parameter] public bool RememberPerAdmin { get; set; } = true;

    [Parameter] public RenderFragment? ChildContent { get; set; }

    /// <summary>Set while prerendering, null once interactive.</summary>
    [CascadingParameter] private HttpContext? HttpContext { get; set; }

    /// <summary>Dark for the first paint: read from <see cref="ShownCookie"/> while prerendering, carried into the circuit.</summary>
    [PersistentState] public bool? FirstPaintDark { get; set; }

    public ThemeChoice Choice { get; private set; } = ThemeChoice.System;

    public bool IsDark => !_resolved ? FirstPaintDark == true : Choice switch
    {
        ThemeChoice.Dark => true,
        ThemeChoice.Light => false,
        _ => _systemDark,
    };

    /// <summary>Raised after the theme changed (a pick, or the browser's preference while following it).</summary>
    public event Action? Changed;

    public static string StorageKey(string admin) => $"nowOnline.theme:{admin.ToLowerInvariant()}";

    protected override void OnInitialized()
    {
        if (HttpContext is not null) FirstPaintDark = HttpContext.Request.Cookies[ShownCookie] == "dark";
    }

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

        _resolved = true;
        await ShownAsync();
    }

    // Applies the resolved theme and remembers it for the next page's first paint.
    private async Task ShownAsync()
    {
        Changed?.Invoke();
        StateHasChanged();
        try
        {
            await JS.InvokeVoidAsync("nowOnlineShell.theme.shown", IsDark);
        }
        catch (JSDisconnectedException)
        {
        }
    }

    /// <summary>Applies and remembers the admin's pick (<see cref="ThemeChoice.System"/> forgets it).</summary>
    public async Task ChooseAsync(ThemeChoice choice)
    {
        Choice = choice;
        _resolved = true;
        await ShownAsync();
        if (_storageKey is null) return;
        var stored = choice == ThemeChoice.System ? null : choice.ToString().ToLowerInvariant();
        await JS.InvokeVoidAsync("nowOnlineShell.theme.set", _storageKey, stored);
    }

    private Task OnSystemDarkModeChangedAsync(bool dark) => InvokeAsync(async () =>
    {
        _systemDark = dark;
        if (Choice != ThemeChoice.System) return;
        await ShownAsync();
    });

    private static ThemeChoice Parse(string? stored) => stored switch
    {
        "light" => ThemeChoice.Light,
        "dark" => ThemeChoice.Dark,
        _ => ThemeChoice.System,
    };
}
