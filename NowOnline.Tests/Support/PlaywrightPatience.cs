using System.Runtime.CompilerServices;
using Microsoft.Playwright;

namespace NowOnline.Tests.Support;

/// <summary>
/// Playwright's <c>Expect</c> assertions give up after 5 s by default, and its page actions after 30 s. Under the full
/// suite on a loaded 2-core machine (as with bunit, see <see cref="BunitPatience"/>) a correct test once ran out of
/// those 5 s. Every browser assertion and action waits up to <see cref="Timeout"/> instead, set once here; a test
/// that passes still returns as soon as its condition holds.
/// </summary>
public static class PlaywrightPatience
{
    /// <summary>The limit of every Expect assertion and every page action (milliseconds).</summary>
    public const float Timeout = 20_000;

    [ModuleInitializer]
    internal static void WaitLongerUnderLoad() => Assertions.SetDefaultExpectTimeout(Timeout);

    /// <summary>A page of <paramref name="context"/> whose actions wait up to <see cref="Timeout"/>.</summary>
    public static async Task<IPage> NewPatientPageAsync(this IBrowserContext context)
    {
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(Timeout);
        return page;
    }
}
