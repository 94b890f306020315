using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using NowOnline.Core.Presence;
using NowOnline.Tests.Support;
using NowOnline.Web.Api.Online;

namespace NowOnline.Tests.Api;

/// <summary>
/// GET /customers/online/export.csv on the real app (shared with the other API tests: an export reads this test's own
/// rows by its shop's tag), and the CSV writer's spreadsheet safety.
/// </summary>
[Collection(SharedApiApp.Name)]
public sealed class OnlineExportTests(SharedApp shared)
{
    private readonly TestApp _app = shared.App;

    [Fact]
    public async Task Export_is_a_utf8_csv_download_with_a_bom_and_every_matching_row()
    {
        using var storefront = _app.Storefront();
        var shop = StorefrontEvents.Tagged();
        var events = Enumerable.Range(1, 1200).Select(i => shop.CartAdd($"v-{i:0000}", sku: "A")).ToArray();
        Assert.Equal(HttpStatusCode.Accepted, (await storefront.PostEventAsync(events.Take(1000).ToArray())).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await storefront.PostEventAsync(events.Skip(1000).ToArray())).StatusCode);

        var response = await (await _app.AdminClientAsync()).GetAsync(OnlineExportApi.Path + $"?type=Visitor&take=5&skip=100&search={shop.Tag}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        Assert.StartsWith("now-online-", response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(Encoding.UTF8.Preamble.ToArray(), bytes[..3]);
        // Paging parameters do not cut an export short: it is the whole view.
        Assert.Equal(1201, Encoding.UTF8.GetString(bytes[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task Export_is_for_signed_in_admins_only()
    {
        var anonymous = await _app.CookieClient().GetAsync(OnlineExportApi.Path);
        var withKey = _app.CookieClient();
        withKey.DefaultRequestHeaders.Add("X-Api-Key", TestApp.ApiKey);
        var storefront = await withKey.GetAsync(OnlineExportApi.Path);

        // A download: both get 401 problem details, never the sign-in page (a crash, 500, would not pass for a refusal).
        foreach (var refused in new[] { anonymous, storefront })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        }

        Assert.DoesNotContain("ID,First Name", await anonymous.Content.ReadAsStringAsync());
        Assert.DoesNotContain("ID,First Name", await storefront.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("?type=Robot", "type")]
    [InlineData("?sort=shoeSize:desc", "sort")]
    [InlineData("?idFrom=-5", "idFrom")]
    [InlineData("?idFrom=9&idTo=3", "idTo")]
    [InlineData("?activityFrom=yesterday", "activityFrom")]
    [InlineData("?activityWithin=0", "activityWithin")]
    [InlineData("?activityWithin=99999", "activityWithin")]
    [InlineData("?tz=Mars/Olympus_Mons", "tz")]
    [InlineData("?email=%00", "email")]
    [InlineData("?columns=id,shoeSize", "columns")]
    [InlineData("?columns=id,email,id", "columns")]
    [InlineData("?columns=", "columns")]
    [InlineData("?columns=id&columns=email", "columns")]
    public async Task Bad_export_query_is_refused_naming_the_parameter(string query, string parameter)
    {
        var response = await (await _app.AdminClientAsync()).GetAsync(OnlineExportApi.Path + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(parameter, out _));
    }

    [Fact]
    public async Task Export_with_columns_holds_exactly_those_columns_in_that_order()
    {
        using var storefront = _app.Storefront();
        var shop = StorefrontEvents.Tagged();
        Assert.Equal(HttpStatusCode.Accepted, (await storefront.PostEventAsync(shop.CartAdd("v-cols", sku: "A"))).StatusCode);

        var response = await (await _app.AdminClientAsync()).GetAsync(OnlineExportApi.Path + $"?search={shop.Tag}&columns=type,store,id");

        var lines = Encoding.UTF8.GetString((await response.Content.ReadAsByteArrayAsync())[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Equal("Type,Store,ID", lines[0]);
        Assert.Matches("^Visitor,[^,]*,$", lines[1]);
    }

    [Fact]
    public async Task Huge_filter_value_is_refused()
    {
        var response = await (await _app.AdminClientAsync()).GetAsync(OnlineExportApi.Path + "?search=" + new string('x', 5000));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Theory]
    [InlineData("=1+1", "\"'=1+1\"")]
    [InlineData("+1", "\"'+1\"")]
    [InlineData("-1", "\"'-1\"")]
    [InlineData("@SUM(A1)", "\"'@SUM(A1)\"")]
    [InlineData("\tx", "\"'\tx\"")]
    [InlineData("\rx", "\"'\rx\"")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("plain", "plain")]
    public void Csv_cells_are_quoted_and_formulas_disarmed(string company, string expectedCell)
    {
        var row = new OnlineRow("c:1", "s-1", 1, "Ada", "L", "a@example.com", company, DateTimeOffset.UnixEpoch, SessionType.Customer, null, null, 1);
        using var stream = new MemoryStream();

        OnlineExportApi.Write(stream, [row], TimeZoneInfo.Utc);

        var record = Encoding.UTF8.GetString(stream.ToArray()[3..]).Split("\r\n")[1];
        Assert.Equal($"1,Ada,L,a@example.com,{expectedCell},1970-01-01 00:00:00,Customer,,,1", record);
    }
}
