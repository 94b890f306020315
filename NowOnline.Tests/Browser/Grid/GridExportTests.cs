using System.Text;
using NowOnline.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace NowOnline.Tests.Browser.Grid;

/// <summary>Export CSV from the grid: downloaded by Chromium, then read back.</summary>
[Collection(BrowserCollection.Name)]
public sealed class GridExportTests(BrowserFixture browser) : GridTestBase(browser)
{
    [Fact]
    public async Task Export_downloads_every_page_of_the_filtered_sorted_view()
    {
        var now = DateTimeOffset.UtcNow;
        await PostAsync(Enumerable.Range(1, 25)
            .Select(i => Login(i, $"First{i:00}", $"Last{i:00}", $"c{i:00}@example.com", "Acme", $"s-{i}", at: now.AddSeconds(-i)))
            .Concat(Enumerable.Range(1, 5).Select(i => CartAdd($"v-{i}"))).ToArray());
        var grid = await OpenGridAsync("/customers/online?type=Customer&sort=email:desc");
        await Expect(grid.Rows).ToHaveCountAsync(20);

        var download = await grid.Page.RunAndWaitForDownloadAsync(() => grid.ExportLink.ClickAsync());

        Assert.EndsWith(".csv", download.SuggestedFilename);
        var bytes = await File.ReadAllBytesAsync((await download.PathAsync())!);
        Assert.Equal(Encoding.UTF8.Preamble.ToArray(), bytes[..3]);
        var lines = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("ID,First Name,Last Name,Email,Last Activity (UTC),Type,Last URL,Company,Store", lines[0]);
        Assert.Equal(26, lines.Length);
        Assert.Equal(Enumerable.Range(1, 25).Reverse().Select(i => i.ToString()), lines[1..].Select(l => l.Split(',')[0]));
        Assert.All(lines[1..], l => Assert.Contains(",Customer,", l));
    }

    [Fact]
    public async Task Export_quotes_commas_and_quotes_and_disarms_spreadsheet_formulas()
    {
        await PostAsync(
            Login(1, "=HYPERLINK(\"http://evil.example\")", "+SUM(1)", "a@example.com", "Smith, \"Jr\" & Co", "s-1"),
            Login(2, "@cmd", "-2+3", "b@example.com", "=1+1", "s-2"),
            Login(3, "Zoë", "Ørsted", "c@example.com", "Ünïcödé GmbH", "s-3"));
        var grid = await OpenGridAsync("/customers/online?sort=id:asc");

        var download = await grid.Page.RunAndWaitForDownloadAsync(() => grid.ExportLink.ClickAsync());

        var text = Encoding.UTF8.GetString((await File.ReadAllBytesAsync((await download.PathAsync())!))[3..]);
        var lines = text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("1,\"'=HYPERLINK(\"\"http://evil.example\"\")\",\"'+SUM(1)\",a@example.com,", lines[1]);
        Assert.EndsWith(",\"Smith, \"\"Jr\"\" & Co\",default", lines[1]);
        Assert.StartsWith("2,\"'@cmd\",\"'-2+3\",b@example.com,", lines[2]);
        Assert.EndsWith(",\"'=1+1\",default", lines[2]);
        Assert.StartsWith("3,Zoë,Ørsted,c@example.com,", lines[3]);
        Assert.EndsWith(",Ünïcödé GmbH,default", lines[3]);
    }

    [Fact]
    public async Task Export_holds_the_visible_columns_in_the_admins_order_and_says_so_on_the_button()
    {
        await PostAsync(Login(7, "Ada", "Lovelace", "ada@example.com", "Analytical Ltd", "s-7"));
        var grid = await OpenGridAsync();
        await grid.ColumnsToggle.ClickAsync();
        await grid.Page.GetByTestId("column-visible-email").UncheckAsync();
        await grid.Page.GetByTestId("column-visible-lastUrl").UncheckAsync();
        for (var i = 0; i < 3; i++) await grid.Page.GetByTestId("column-up-company").ClickAsync();
        for (var i = 0; i < 2; i++) await grid.Page.GetByTestId("column-up-store").ClickAsync();
        await Expect(grid.ColumnTitles).ToHaveTextAsync(["ID", "First Name", "Last Name", "Company", "Last Activity", "Store", "Type"]);
        await Expect(grid.ExportLink).ToHaveAttributeAsync("title", new System.Text.RegularExpressions.Regex("visible columns in their order"));

        var download = await grid.Page.RunAndWaitForDownloadAsync(() => grid.ExportLink.ClickAsync());

        var lines = Encoding.UTF8.GetString((await File.ReadAllBytesAsync((await download.PathAsync())!))[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("ID,First Name,Last Name,Company,Last Activity (UTC),Store,Type", lines[0]);
        Assert.Matches("^7,Ada,Lovelace,Analytical Ltd,[0-9: -]+,default,Customer$", lines[1]);
    }

    [Fact]
    public async Task Export_writes_last_activity_in_the_admins_time_zone()
    {
        var at = DateTimeOffset.UtcNow.AddMinutes(-1);
        await PostAsync(CartAdd("v-1", at: at));
        var grid = await OpenGridAsync(timeZone: "Europe/Berlin");

        var download = await grid.Page.RunAndWaitForDownloadAsync(() => grid.ExportLink.ClickAsync());

        var lines = (await File.ReadAllTextAsync((await download.PathAsync())!)).Split("\r\n");
        var berlin = TimeZoneInfo.ConvertTime(at, TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin"));
        Assert.Contains("Last Activity (Europe/Berlin)", lines[0]);
        Assert.Contains(berlin.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture), lines[1]);
    }
}
