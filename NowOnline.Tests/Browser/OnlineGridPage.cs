using Microsoft.Playwright;

namespace NowOnline.Tests.Browser;

/// <summary>Page object for Customers > Now Online.</summary>
public sealed class OnlineGridPage(IPage page, Uri baseAddress)
{
    public IPage Page => page;

    public ILocator Count => page.GetByTestId("online-count");

    public ILocator LiveState => page.GetByTestId("live-state");

    public ILocator PauseToggle => page.GetByTestId("pause-toggle");

    /// <summary>The rows of the page; each row's key sits on its first cell (MudTable renders the row element itself).</summary>
    public ILocator Rows => page.Locator(".online-grid tbody tr:has(> td[data-key])");

    /// <summary>The cells that carry the row keys, top to bottom (for "the first row is ..." checks).</summary>
    public ILocator RowKeyCells => page.Locator(".online-grid tbody td[data-key]");

    public ILocator Row(string key) => page.Locator($".online-grid tbody tr:has(> td[data-key='{key}'])");

    /// <summary>The row's details button, the keyboard's way into the details.</summary>
    public ILocator RowOpen(string key) => page.Locator($".online-grid tbody td[data-key='{key}']").GetByTestId("row-open");

    public ILocator LastActivity(string key) => Row(key).Locator(".last-activity");

    public ILocator Search => page.GetByTestId("search");

    public ILocator TypeSelect => page.GetByTestId("filter-type");

    public ILocator FiltersToggle => page.GetByTestId("filters-toggle");

    public ILocator FilterPanel => page.GetByTestId("filter-panel");

    /// <summary>A column filter of the filter panel: idFrom, idTo, firstName, lastName, email, company, lastUrl, store, activityFrom, activityTo.</summary>
    public ILocator Filter(string name) => page.GetByTestId($"filter-{name}");

    public ILocator QuickPick(int minutes) => page.GetByTestId($"within-{minutes}");

    public ILocator ClearFilters => page.GetByTestId("clear-filters");

    public ILocator Chips => page.GetByTestId("chip");

    public ILocator Chip(string name) => page.Locator($"[data-testid='chip'][data-filter='{name}']");

    public ILocator NoMatch => page.GetByTestId("no-match");

    public ILocator EmptyState => page.GetByTestId("empty-state");

    public ILocator ColumnTitles => page.Locator(".online-grid thead th[data-column] .column-title");

    public ILocator Header(string title) =>
        page.Locator(".online-grid thead th[data-column]").Filter(new() { Has = page.Locator(".column-title", new() { HasTextString = title }) });

    public ILocator PagingSummary => page.GetByTestId("paging-summary");

    public ILocator ColumnChooser => page.GetByTestId("column-chooser");

    public ILocator ExportLink => page.GetByTestId("export-csv");

    public ILocator ColumnsToggle => page.GetByTestId("columns-toggle");

    public ILocator DetailPanel => page.GetByTestId("detail-panel");

    /// <summary>
    /// Opens the grid and waits until the live connection is up (the circuit is interactive). When the page lands on
    /// /login (not signed in yet), signs in as the test app's admin first.
    /// </summary>
    public async Task OpenAsync(string path = "/customers/online")
    {
        await page.GotoAsync(new Uri(baseAddress, path).ToString());
        if (new Uri(page.Url).AbsolutePath == "/login")
            await new LoginPage(page).SignInAsync(Support.TestApp.AdminEmail, Support.TestApp.AdminPassword);
        await page.Locator("[data-testid='live-state'][data-state='live']").WaitForAsync();
    }

    /// <summary>The keys of the visible rows, top to bottom.</summary>
    public async Task<IReadOnlyList<string>> RowKeysAsync() =>
        (await Rows.EvaluateAllAsync<string[]>("rows => rows.map(r => r.querySelector(':scope > td[data-key]').dataset.key)")).ToList();

    public async Task OpenFiltersAsync()
    {
        if (!await FilterPanel.IsVisibleAsync()) await FiltersToggle.ClickAsync();
        await FilterPanel.WaitForAsync();
    }

    /// <summary>Types into a text filter of the panel (opening it if needed) and leaves the field, which applies it.</summary>
    public async Task SetFilterAsync(string name, string value)
    {
        if (!await FilterPanel.IsVisibleAsync()) await FiltersToggle.ClickAsync();
        await Filter(name).FillAsync(value);
        await Filter(name).DispatchEventAsync("change");
    }

    public async Task SelectTypeAsync(string label) => await TypeSelect.SelectOptionAsync(new SelectOptionValue { Label = label });

    public async Task GoToPageAsync(int number) =>
        await page.GetByTestId("pager").Locator(".mud-pagination-item button").GetByText(number.ToString(), new() { Exact = true }).ClickAsync();

    public async Task SetPageSizeAsync(int size) =>
        await page.GetByTestId("page-size").SelectOptionAsync(size.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>The query string the page shows now, parsed.</summary>
    public IReadOnlyDictionary<string, string> UrlQuery()
    {
        var query = new Uri(page.Url).Query.TrimStart('?');
        return query.Length == 0
            ? new Dictionary<string, string>()
            : query.Split('&').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => Uri.UnescapeDataString(p.Length > 1 ? p[1] : ""));
    }
}
