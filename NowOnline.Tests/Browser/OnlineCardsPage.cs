using Microsoft.Playwright;

namespace NowOnline.Tests.Browser;

/// <summary>Page object for the Now Online card list (narrow screens), beside <see cref="OnlineGridPage"/> for the rest of the page.</summary>
public sealed class OnlineCardsPage(IPage page)
{
    /// <summary>The grid area: its data-layout says "cards", "table" or "unknown" (width not measured yet).</summary>
    public ILocator Area => page.GetByTestId("grid-area");

    public ILocator List => page.GetByTestId("online-cards");

    public ILocator Cards => page.Locator(".online-card[data-key]");

    public ILocator Card(string key) => page.Locator($".online-card[data-key='{key}']");

    /// <summary>The card's one focusable item, which opens the row's details.</summary>
    public ILocator Open(string key) => Card(key).GetByTestId("card-open");

    public ILocator Name(string key) => Card(key).GetByTestId("card-name");

    public ILocator Type(string key) => Card(key).GetByTestId("card-type");

    public ILocator Ago(string key) => Card(key).GetByTestId("ago");

    public ILocator Url(string key) => Card(key).GetByTestId("card-url");

    public ILocator SortMenu => page.GetByTestId("sort-menu");

    public ILocator Table => page.Locator(".online-grid");

    /// <summary>The keys of the cards, top to bottom.</summary>
    public async Task<IReadOnlyList<string>> KeysAsync() =>
        (await Cards.EvaluateAllAsync<string[]>("cards => cards.map(c => c.dataset.key)")).ToList();
}
