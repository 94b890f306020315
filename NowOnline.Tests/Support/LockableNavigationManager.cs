using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Routing;

namespace NowOnline.Tests.Support;

/// <summary>
/// bunit 1.9.8's FakeNavigationManager predates NavigationLock; this one supports it and runs the page's
/// "leaving?" handlers before every navigation, as the browser's router does.
/// </summary>
public sealed class LockableNavigationManager : NavigationManager
{
    public LockableNavigationManager(string uri = "http://localhost/config/customers/online") => Initialize("http://localhost/", uri);

    public bool Locked { get; private set; }

    public List<string> Prevented { get; } = [];

    protected override void SetNavigationLockState(bool value) => Locked = value;

    protected override void HandleLocationChangingHandlerException(Exception ex, LocationChangingContext context) => Failure = ex;

    protected override void NavigateToCore(string uri, NavigationOptions options) => _ = NavigateAsync(uri, options);

    public Exception? Failure { get; private set; }

    private async Task NavigateAsync(string uri, NavigationOptions options)
    {
        try
        {
            await NavigateCoreAsync(uri, options);
        }
        catch (Exception ex)
        {
            Failure = ex;
        }
    }

    private async Task NavigateCoreAsync(string uri, NavigationOptions options)
    {
        var absolute = ToAbsoluteUri(uri).ToString();
        if (!await NotifyLocationChangingAsync(absolute, options.HistoryEntryState, isNavigationIntercepted: false))
        {
            Prevented.Add(absolute);
            return;
        }

        Uri = absolute;
        NotifyLocationChanged(isInterceptedLink: false);
    }
}
