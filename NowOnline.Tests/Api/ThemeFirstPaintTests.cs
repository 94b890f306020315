using System.Net;
using NowOnline.Tests.Support;
using NowOnline.Web.Components.Layout;

namespace NowOnline.Tests.Api;

/// <summary>
/// The server's first paint uses the theme the browser last showed (a cookie the shell writes), so an admin who works in
/// dark mode does not see every page flash light before the circuit applies their pick.
/// </summary>
public sealed class ThemeFirstPaintTests
{
    // The dark palette's background (#121417) as MudThemeProvider writes it.
    private const string DarkBackground = "--mud-palette-background: rgba(18,20,23,1)";

    private static async Task<string> PageAsync(TestApp app, string path, string? shown, bool signedIn)
    {
        using var client = signedIn ? await app.AdminClientAsync() : app.CookieClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (shown is not null) request.Headers.Add("Cookie", $"{ShellTheme.ShownCookie}={shown}");
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    [Fact]
    public async Task Pages_are_first_painted_dark_when_the_browser_last_showed_dark_and_light_otherwise()
    {
        await using var app = await TestApp.StartAsync();

        Assert.Contains(DarkBackground, await PageAsync(app, "/customers/online", "dark", signedIn: true));
        Assert.Contains(DarkBackground, await PageAsync(app, "/login", "dark", signedIn: false));
        Assert.DoesNotContain(DarkBackground, await PageAsync(app, "/customers/online", "light", signedIn: true));
        Assert.DoesNotContain(DarkBackground, await PageAsync(app, "/customers/online", null, signedIn: true));
        Assert.DoesNotContain(DarkBackground, await PageAsync(app, "/login", "<script>", signedIn: false));
    }
}
