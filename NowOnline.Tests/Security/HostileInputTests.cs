using System.Net.Http.Json;
using System.Text.Json;
using NowOnline.Tests.Support;

namespace NowOnline.Tests.Security;

/// <summary>Every case of <see cref="HostileInputCases"/> gets its 4xx with a readable problem, and nothing is stored.</summary>
public sealed class HostileInputTests(HostileInputFixture fixture) : IClassFixture<HostileInputFixture>
{
    public static TheoryData<string> Names()
    {
        var names = new TheoryData<string>();
        foreach (var item in HostileInputCases.All) names.Add(item.Name);
        return names;
    }

    [Fact]
    public void The_table_has_at_least_50_cases_with_distinct_names()
    {
        Assert.True(HostileInputCases.All.Count >= 50, $"{HostileInputCases.All.Count} cases");
        Assert.Equal(HostileInputCases.All.Count, HostileInputCases.All.Select(c => c.Name).Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Hostile_input_gets_a_clear_4xx_and_stores_nothing(string name)
    {
        var hostile = HostileInputCases.All.Single(c => c.Name == name);
        var client = hostile.Caller switch
        {
            Caller.Storefront => fixture.Storefront,
            Caller.Admin => fixture.Admin,
            Caller.Form => fixture.FormClient,
            _ => fixture.App.Anonymous(),
        };
        using var request = new HttpRequestMessage(new HttpMethod(hostile.Method), hostile.Path) { Content = hostile.Content(fixture.FormToken) };
        if (hostile.Caller == Caller.WrongKey) request.Headers.Add("X-Api-Key", "not-the-storefront-key");

        using var response = await client.SendAsync(request);

        Assert.Equal(hostile.Status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var explained = problem.TryGetProperty("errors", out var errors)
            ? errors.EnumerateObject().SelectMany(e => e.Value.EnumerateArray()).Any(m => m.GetString()!.Length > 10)
            : problem.TryGetProperty("detail", out var detail) && detail.GetString()!.Length > 10;
        Assert.True(explained, $"no readable reason in {problem}");
        Assert.False(response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("NowOnline.Admin=", StringComparison.Ordinal)));
        Assert.Equal(0, await fixture.OnlineTotalAsync());
        Assert.Equal(0, await fixture.CountRowsAsync("ActivityEvents"));
        Assert.Equal(0, await fixture.CountRowsAsync("Sessions"));
        Assert.Equal(1, await fixture.CountRowsAsync("AdminUsers"));
    }
}
