using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace NowOnline.Tests.Browser;

/// <summary>Checks any page can take: axe-core's WCAG 2.1 AA rules, and no sideways scroll.</summary>
public static class PageChecks
{
    private static readonly string[] Wcag21AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

    /// <summary>axe-core finds nothing serious or critical (after transitions end, so colours are measured as shown).</summary>
    public static async Task AssertNoSeriousAxeFindingsAsync(IPage page, string when)
    {
        await page.EvaluateAsync("() => Promise.all(document.getAnimations().map(a => a.finished.catch(() => {})))");
        var result = await page.RunAxe(new AxeRunOptions { RunOnly = new RunOnlyOptions { Type = "tag", Values = [.. Wcag21AA] } });

        Assert.NotEmpty(result.Passes);
        var serious = result.Violations.Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{v.Impact} {v.Id}: {v.Help} at {string.Join(" | ", v.Nodes.Take(4).Select(n => $"{n.Target} {string.Join("; ", n.Any.Concat(n.All).Select(c => c.Message))}"))}")
            .ToList();
        Assert.True(serious.Count == 0, $"{when}:\n{string.Join("\n", serious)}");
    }

    /// <summary>
    /// The page is no wider than the screen. The layout settles once the circuit has measured the screen (the drawer folds
    /// away below 960 px), so the width is awaited for a few seconds; a page that stays wider fails, naming the elements that
    /// reach past the screen (those inside a scroller of their own or visually hidden are listed last).
    /// </summary>
    public static async Task AssertNoSidewaysScrollAsync(IPage page)
    {
        const string overflow = "() => document.documentElement.scrollWidth - window.innerWidth";
        try
        {
            await page.WaitForFunctionAsync($"() => ({overflow})() <= 0", null, new() { Timeout = 5_000 });
        }
        catch (Exception ex) when (ex is PlaywrightException or TimeoutException)
        {
            // Timed out, still wider after the wait: the assertion below says by what.
        }

        var wider = await page.EvaluateAsync<string[]>("""
            () => {
              const past = e => e.getBoundingClientRect().right > window.innerWidth + 0.5;
              const name = e => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')} right=${e.getBoundingClientRect().right.toFixed(1)}`;
              const all = [...document.querySelectorAll('body *')].filter(past);
              const inside = e => e.closest('.mud-table-container, .visually-hidden');
              return [...all.filter(e => !inside(e)).slice(0, 8).map(name),
                      ...all.filter(inside).slice(0, 4).map(e => 'inside a scroller or hidden: ' + name(e))];
            }
            """);
        var by = await page.EvaluateAsync<int>(overflow);
        Assert.True(by == 0, $"the page scrolls sideways by {by} px at {await page.EvaluateAsync<int>("() => window.innerWidth")} px; "
            + "wider than the screen: " + string.Join(", ", wider));
    }

    /// <summary>The element lies within the screen's width (left edge at 0 or more, right edge at most the screen's width).</summary>
    public static async Task AssertInsideTheScreenAsync(ILocator element, string what)
    {
        var box = await element.BoundingBoxAsync() ?? throw new Xunit.Sdk.XunitException($"{what} is not shown");
        var width = await element.Page.EvaluateAsync<int>("() => window.innerWidth");
        Assert.True(box.X >= 0 && box.X + box.Width <= width + 0.5,
            $"{what} spans x = {box.X:0.#} to {box.X + box.Width:0.#}, outside the screen's 0 to {width}");
    }
}
