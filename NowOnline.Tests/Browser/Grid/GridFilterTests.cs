using System.Globalization;
using NowOnline.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace NowOnline.Tests.Browser.Grid;

/// <summary>Each kind of filter, applied on the server, in real Chromium.</summary>
[Collection(BrowserCollection.Name)]
public sealed class GridFilterTests(BrowserFixture browser) : GridTestBase(browser)
{
    [Fact]
    public async Task Text_filter_keeps_only_matching_rows_and_shows_a_chip()
    {
        await SeedShopAsync();
        var grid = await OpenGridAsync();
        await Expect(grid.Rows).ToHaveCountAsync(5);

        await grid.SetFilterAsync("email", "NAVY");

        await Expect(grid.Rows).ToHaveCountAsync(1);
        await Expect(grid.Row("c:43")).ToBeVisibleAsync();
        await Expect(grid.Chip("email")).ToContainTextAsync("Email contains “NAVY”");
        Assert.Equal("NAVY", grid.UrlQuery()["email"]);
    }

    [Theory]
    [InlineData("firstName", "gra", "c:43")]
    [InlineData("lastName", "TURING", "c:44")]
    [InlineData("company", "analytical", "c:42")]
    [InlineData("lastUrl", "boots", "v:v-2")]
    public async Task Each_text_column_filters_by_contains(string filter, string value, string onlyKey)
    {
        await SeedShopAsync();
        var grid = await OpenGridAsync();

        await grid.SetFilterAsync(filter, value);

        await Expect(grid.Rows).ToHaveCountAsync(1);
        await Expect(grid.Row(onlyKey)).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Store_filter_keeps_customers_and_visitors_of_that_store()
    {
        await SeedShopAsync();
        var grid = await OpenGridAsync();

        await grid.SetFilterAsync("store", "fr");

        await Expect(grid.Rows).ToHaveCountAsync(2);
        Assert.Equal(["v:v-2", "c:43"], await grid.RowKeysAsync());
    }

    [Fact]
    public async Task Type_select_shows_only_customers_or_only_visitors()
    {
        await SeedShopAsync();
        var grid = await OpenGridAsync();

        await grid.SelectTypeAsync("Customers");
        await Expect(grid.Rows).ToHaveCountAsync(3);
        Assert.All(await grid.RowKeysAsync(), key => Assert.StartsWith("c:", key));
        Assert.Equal("Customer", grid.UrlQuery()["type"]);

        await grid.SelectTypeAsync("Visitors");
        await Expect(grid.Rows).ToHaveCountAsync(2);
        Assert.All(await grid.RowKeysAsync(), key => Assert.StartsWith("v:", key));
    }

    [Fact]
    public async Task Id_range_keeps_customers_from_to_inclusive()
    {
        await SeedShopAsync();
        var grid = await OpenGridAsync();

        await grid.SetFilterAsync("idFrom", "43");
        await grid.SetFilterAsync("idTo", "44");

        await Expect(grid.Rows).ToHaveCountAsync(2);
        Assert.Equal(["c:44", "c:43"], await grid.RowKeysAsync());
        await Expect(grid.Chip("id")).ToContainTextAsync("ID 43–44");
    }

    [Fact]
    public async Task Quick_pick_keeps_sessions_active_in_the_last_minutes_and_stays_in_the_url()
    {
        var now = DateTimeOffset.UtcNow;
        await PostAsync(CartAdd("v-old", at: now.AddMinutes(-10)), CartAdd("v-recent", at: now.AddMinutes(-2)), CartAdd("v-now", at: now));
        var grid = await OpenGridAsync();
        await Expect(grid.Rows).ToHaveCountAsync(3);

        await grid.QuickPick(5).ClickAsync();

        await Expect(grid.Rows).ToHaveCountAsync(2);
        Assert.Equal(["v:v-now", "v:v-recent"], await grid.RowKeysAsync());
        Assert.Equal("5", grid.UrlQuery()["activityWithin"]);
        await grid.QuickPick(1).ClickAsync();
        await Expect(grid.Rows).ToHaveCountAsync(1);
        await Expect(grid.Chip("activityWithin")).ToContainTextAsync("within 1 min");
    }

    [Fact]
    public async Task Last_activity_range_is_entered_in_the_admins_time_zone()
    {
        var now = DateTimeOffset.UtcNow;
        await PostAsync(CartAdd("v-old", at: now.AddMinutes(-10)), CartAdd("v-new", at: now.AddMinutes(-1)));
        var grid = await OpenGridAsync(timeZone: "America/New_York");
        var newYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        var from = TimeZoneInfo.ConvertTime(now.AddMinutes(-5), newYork);

        await grid.SetFilterAsync("activityFrom", from.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture));

        await Expect(grid.Rows).ToHaveCountAsync(1);
        await Expect(grid.Row("v:v-new")).ToBeVisibleAsync();
        var expectedUtc = new DateTimeOffset(from.Year, from.Month, from.Day, from.Hour, from.Minute, 0, from.Offset).ToUniversalTime();
        Assert.Equal(expectedUtc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture), grid.UrlQuery()["activityFrom"]);
        await Expect(grid.Chip("activityFrom")).ToContainTextAsync(from.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Search_box_looks_across_the_text_columns()
    {
        await SeedShopAsync();
        var grid = await OpenGridAsync();

        await grid.Search.FillAsync("bletchley");

        await Expect(grid.Rows).ToHaveCountAsync(1);
        await Expect(grid.Row("c:44")).ToBeVisibleAsync();
        Assert.Equal("bletchley", grid.UrlQuery()["search"]);
    }

    [Fact]
    public async Task Removing_a_chip_or_clearing_all_filters_brings_the_rows_back()
    {
        await SeedShopAsync();
        var grid = await OpenGridAsync("/customers/online?type=Customer&store=fr&sort=email:asc");
        await Expect(grid.Rows).ToHaveCountAsync(1);
        await Expect(grid.Chips).ToHaveCountAsync(2);

        await grid.Chip("store").GetByRole(Microsoft.Playwright.AriaRole.Button).ClickAsync();
        await Expect(grid.Rows).ToHaveCountAsync(3);
        await grid.ClearFilters.ClickAsync();

        await Expect(grid.Rows).ToHaveCountAsync(5);
        await Expect(grid.Chips).ToHaveCountAsync(0);
        Assert.Equal(new Dictionary<string, string> { ["sort"] = "email:asc" }, grid.UrlQuery());
    }

    [Fact]
    public async Task Filters_that_match_nothing_say_so_and_offer_to_clear()
    {
        await SeedShopAsync();
        var grid = await OpenGridAsync("/customers/online?email=nobody-here");

        await Expect(grid.NoMatch).ToContainTextAsync("No rows match your filters");
        await grid.NoMatch.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Clear all filters" }).ClickAsync();

        await Expect(grid.Rows).ToHaveCountAsync(5);
    }
}
