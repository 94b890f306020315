using NowOnline.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace NowOnline.Tests.Browser.Grid;

/// <summary>Sorting, paging, the view in the URL and the admin's columns, in real Chromium.</summary>
[Collection(BrowserCollection.Name)]
public sealed class GridViewTests(BrowserFixture browser) : GridTestBase(browser)
{
    [Fact]
    public async Task Default_order_is_last_activity_newest_first()
    {
        await SeedShopAsync();

        var grid = await OpenGridAsync();

        Assert.Equal(["v:v-2", "v:v-1", "c:44", "c:43", "c:42"], await grid.RowKeysAsync());
        await Expect(grid.Header("Last Activity")).ToHaveAttributeAsync("aria-sort", "descending");
    }

    [Fact]
    public async Task Clicking_a_header_sorts_ascending_then_descending_and_the_url_follows()
    {
        await SeedShopAsync();
        var grid = await OpenGridAsync("/customers/online?type=Customer");

        await grid.Header("Last Name").ClickAsync();
        await Expect(grid.RowKeyCells.First).ToHaveAttributeAsync("data-key", "c:43");
        Assert.Equal(["c:43", "c:42", "c:44"], await grid.RowKeysAsync());
        Assert.Equal("lastName:asc", grid.UrlQuery()["sort"]);

        await grid.Header("Last Name").ClickAsync();
        await Expect(grid.RowKeyCells.First).ToHaveAttributeAsync("data-key", "c:44");
        Assert.Equal(["c:44", "c:42", "c:43"], await grid.RowKeysAsync());
        Assert.Equal("lastName:desc", grid.UrlQuery()["sort"]);
    }

    [Fact]
    public async Task Paging_shows_twenty_rows_the_total_and_moves_between_pages()
    {
        var now = DateTimeOffset.UtcNow;
        await PostAsync(Enumerable.Range(0, 45).Select(i => CartAdd($"v-{i:00}", at: now.AddSeconds(-i))).ToArray());
        var grid = await OpenGridAsync();
        await Expect(grid.Rows).ToHaveCountAsync(20);
        await Expect(grid.PagingSummary).ToContainTextAsync("Page 1 of 3 (45 rows)");

        await grid.GoToPageAsync(3);

        await Expect(grid.Rows).ToHaveCountAsync(5);
        Assert.Equal(["v:v-40", "v:v-41", "v:v-42", "v:v-43", "v:v-44"], await grid.RowKeysAsync());
        Assert.Equal("40", grid.UrlQuery()["skip"]);

        await grid.SetPageSizeAsync(50);
        await Expect(grid.Rows).ToHaveCountAsync(45);
        Assert.Equal("50", grid.UrlQuery()["take"]);
    }

    [Fact]
    public async Task A_bookmarked_view_opens_with_its_filters_sort_page_size_and_page()
    {
        var now = DateTimeOffset.UtcNow;
        await PostAsync(Enumerable.Range(1, 70)
            .Select(i => Login(i, $"First{i:00}", $"Last{i:00}", $"c{i:00}@example.com", "Acme", $"s-{i}", at: now.AddSeconds(-i)))
            .Append(CartAdd("v-1")).ToArray());

        var grid = await OpenGridAsync("/customers/online?type=Customer&sort=lastName:asc&take=30&skip=30");

        await Expect(grid.TypeSelect).ToHaveValueAsync("Customer");
        await Expect(grid.Header("Last Name")).ToHaveAttributeAsync("aria-sort", "ascending");
        await Expect(grid.PagingSummary).ToContainTextAsync("Page 2 of 3 (70 rows)");
        Assert.Equal(Enumerable.Range(31, 30).Select(i => $"c:{i}"), await grid.RowKeysAsync());
        Assert.Equal(new Dictionary<string, string> { ["type"] = "Customer", ["sort"] = "lastName:asc", ["take"] = "30", ["skip"] = "30" },
            grid.UrlQuery());
    }

    [Fact]
    public async Task Changing_the_view_replaces_the_history_entry_instead_of_adding_one()
    {
        await SeedShopAsync();
        var grid = await OpenGridAsync();
        var before = await grid.Page.EvaluateAsync<int>("history.length");

        await grid.SelectTypeAsync("Customers");
        await Expect(grid.Rows).ToHaveCountAsync(3);
        await grid.Header("Email").ClickAsync();
        await Expect(grid.RowKeyCells.First).ToHaveAttributeAsync("data-key", "c:42");

        Assert.Equal(before, await grid.Page.EvaluateAsync<int>("history.length"));
        Assert.Equal("email:asc", grid.UrlQuery()["sort"]);
    }

    [Fact]
    public async Task A_link_with_bad_parameters_opens_with_a_notice_and_the_rest_applied()
    {
        await SeedShopAsync();

        var grid = await OpenGridAsync("/customers/online?type=Robot&take=7&store=fr");

        await Expect(grid.Page.GetByTestId("url-problems")).ToContainTextAsync("The type must be Customer or Visitor.");
        await Expect(grid.Page.GetByTestId("url-problems")).ToContainTextAsync("page size");
        await Expect(grid.Rows).ToHaveCountAsync(2);
    }

    [Fact]
    public async Task Hidden_and_moved_columns_are_remembered_for_the_admin()
    {
        await SeedShopAsync();
        var grid = await OpenGridAsync();
        await grid.ColumnsToggle.ClickAsync();

        await grid.Page.GetByTestId("column-visible-email").UncheckAsync();
        await grid.Page.GetByTestId("column-up-company").ClickAsync();
        await Expect(grid.ColumnTitles).ToHaveTextAsync(["ID", "First Name", "Last Name", "Last Activity", "Type", "Company", "Last URL", "Store"]);
        await grid.Page.ReloadAsync();
        await grid.Page.Locator("[data-testid='live-state'][data-state='live']").WaitForAsync();

        await Expect(grid.ColumnTitles).ToHaveTextAsync(["ID", "First Name", "Last Name", "Last Activity", "Type", "Company", "Last URL", "Store"]);
        await Expect(grid.Rows).ToHaveCountAsync(5);
    }

    [Fact]
    public async Task Last_url_shows_the_path_and_links_to_the_full_address_in_a_new_tab()
    {
        await SeedShopAsync();
        var grid = await OpenGridAsync();

        var link = grid.Row("c:44").Locator("a.last-url");

        await Expect(link).ToHaveTextAsync("/catalog/enigma.html");
        await Expect(link).ToHaveAttributeAsync("href", "https://shop.example/catalog/enigma.html");
        await Expect(link).ToHaveAttributeAsync("title", "https://shop.example/catalog/enigma.html");
        await Expect(link).ToHaveAttributeAsync("target", "_blank");
    }

    [Fact]
    public async Task Last_activity_shows_in_the_browsers_time_zone_with_a_relative_time()
    {
        var at = DateTimeOffset.UtcNow.AddMinutes(-3);
        await PostAsync(CartAdd("v-1", at: at));

        var grid = await OpenGridAsync(timeZone: "Asia/Tokyo");

        var tokyo = TimeZoneInfo.ConvertTime(at, TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo"));
        await Expect(grid.LastActivity("v:v-1")).ToHaveTextAsync(tokyo.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture));
        await Expect(grid.Row("v:v-1").GetByTestId("ago")).ToHaveTextAsync("3 min ago");
    }
}
