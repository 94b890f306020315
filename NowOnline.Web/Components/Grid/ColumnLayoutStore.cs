using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.JSInterop;

namespace NowOnline.Web.Components.Grid;

/// <summary>The admin's column layout in the browser's localStorage, one entry per admin (app.js nowOnline.storage).</summary>
public sealed class ColumnLayoutStore(IJSRuntime js, Task<AuthenticationState>? authentication)
{
    /// <summary>The stored layout, or the default when nothing (readable) is stored or the browser cannot say.</summary>
    public async Task<GridColumns> LoadAsync()
    {
        try
        {
            return GridColumns.FromJson(await js.InvokeAsync<string?>("nowOnline.storage.get", await KeyAsync()));
        }
        catch (JSException)
        {
            return GridColumns.Default;
        }
    }

    public async Task SaveAsync(GridColumns columns)
    {
        try
        {
            await js.InvokeVoidAsync("nowOnline.storage.set", await KeyAsync(), columns.ToJson());
        }
        catch (JSException)
        {
            // Private browsing or a full storage: the layout still applies to this page.
        }
    }

    private async Task<string> KeyAsync()
    {
        var email = authentication is null ? null : (await authentication).User.Identity?.Name;
        return string.IsNullOrEmpty(email) ? "nowOnline.columns" : $"nowOnline.columns:{email.ToLowerInvariant()}";
    }
}
