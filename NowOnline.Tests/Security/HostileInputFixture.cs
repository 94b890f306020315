using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using NowOnline.Tests.Support;

namespace NowOnline.Tests.Security;

/// <summary>One app for the whole hostile-input table, with the clients a case may need and read-backs of what is stored.</summary>
public sealed class HostileInputFixture : IAsyncLifetime
{
    public TestApp App { get; private set; } = default!;

    public HttpClient Storefront { get; private set; } = default!;

    public HttpClient Admin { get; private set; } = default!;

    /// <summary>A client that is not signed in but holds the antiforgery cookie matching <see cref="FormToken"/>.</summary>
    public HttpClient FormClient { get; private set; } = default!;

    public string FormToken { get; private set; } = "";

    public async Task InitializeAsync()
    {
        App = await TestApp.StartAsync();
        Storefront = App.Storefront();
        Admin = await App.AdminClientAsync();
        FormClient = App.CookieClient();
        FormToken = await FormClient.AntiforgeryTokenAsync();
    }

    public async Task<int> OnlineTotalAsync() =>
        (await (await Storefront.GetAsync("/api/online")).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("total").GetInt32();

    public async Task<long> CountRowsAsync(string table)
    {
        await using var connection = new SqliteConnection($"Data Source={App.DatabasePath};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM {table}";
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public async Task DisposeAsync()
    {
        Storefront.Dispose();
        Admin.Dispose();
        FormClient.Dispose();
        await App.DisposeAsync();
    }
}
