using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using NowOnline.Tests.Support;

namespace NowOnline.Tests.Security;

/// <summary>Valid events whose text looks like SQL or markup are data: stored and returned exactly, harming nothing.</summary>
public sealed class LiteralStorageTests : IAsyncLifetime
{
    private TestApp _app = default!;

    public async Task InitializeAsync() => _app = await TestApp.StartAsync();

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Sql_and_markup_in_names_come_back_unchanged_after_a_restart()
    {
        const string sql = "Robert'); DROP TABLE Sessions;--";
        const string markup = "<img src=x onerror=alert(1)>";
        var response = await _app.Storefront().PostEventAsync(
            StorefrontEvents.Untagged().Login("s-1", 7, firstName: markup, lastName: sql, company: "\u05E9\u05DC\u05D5\u05DD \u200F😀 Ltd"));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);

        await _app.RestartAsync();

        var online = await (await _app.Storefront().GetAsync("/api/online")).Content.ReadFromJsonAsync<JsonElement>();
        var row = Assert.Single(online.GetProperty("items").EnumerateArray());
        Assert.Equal(markup, row.GetProperty("firstName").GetString());
        Assert.Equal(sql, row.GetProperty("lastName").GetString());
        Assert.Equal("\u05E9\u05DC\u05D5\u05DD \u200F😀 Ltd", row.GetProperty("company").GetString());
    }
}
