using System.Runtime.CompilerServices;
using Bunit;

namespace NowOnline.Tests.Support;

/// <summary>
/// bunit's WaitFor helpers give up after 1 s by default. Under the full suite on a 2-core machine
/// (Chromium, app processes and database servers running beside the component tests) a MudBlazor
/// popover once took longer than that to open, and a correct test failed. Every component test
/// waits up to 10 s instead; a test that passes still returns as soon as its condition holds.
/// </summary>
internal static class BunitPatience
{
    [ModuleInitializer]
    internal static void WaitLongerUnderLoad() => BunitContext.DefaultWaitTimeout = TimeSpan.FromSeconds(10);
}
