using System.Net.Http.Json;
using System.Text.Json;
using NowOnline.Core.Presence;
using NowOnline.Tests.Support;

namespace NowOnline.Tests.Api;

public sealed class RestartTests
{
    [Fact]
    public async Task Online_list_and_carts_are_the_same_after_a_restart()
    {
        await using var app = await TestApp.StartAsync();
        var storefront = app.Storefront();
        var shop = StorefrontEvents.Untagged();
        await storefront.PostEventAsync(new[]
        {
            shop.Login("s-1", 42), shop.CartAdd("s-1", qty: 2), shop.CartAdd("v-1", sku: "YM-02", itemName: null),
            shop.Login("s-2", 43, firstName: "Grace", lastName: "Hopper"), shop.Logout("s-2"),
        });
        var before = await storefront.GetStringAsync("/api/online?sort=lastActivity:desc");

        await app.RestartAsync();

        var after = await app.Storefront().GetStringAsync("/api/online?sort=lastActivity:desc");
        Assert.Equal(before, after);
        Assert.Equal(3, JsonDocument.Parse(after).RootElement.GetProperty("total").GetInt32());
        var cart = app.Services.GetRequiredService<PresenceTracker>().GetCart(42);
        Assert.Equal(("WB-01", 2), (Assert.Single(cart).Sku, cart[0].Qty));
    }

    [Fact]
    public async Task Events_logged_after_the_last_checkpoint_are_replayed_at_start()
    {
        await using var app = await TestApp.StartAsync();
        await app.Storefront().PostEventAsync(StorefrontEvents.Untagged().CartAdd("v-1", sku: "A"));
        var path = app.DatabasePath;
        // Throw the state tables away: only the durable event log is left, as after a crash before a checkpoint.
        await app.StopAsync();
        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path}"))
        {
            await connection.OpenAsync();
            await using var wipe = connection.CreateCommand();
            wipe.CommandText = "DELETE FROM Sessions; DELETE FROM CartItems; DELETE FROM Checkpoints;";
            await wipe.ExecuteNonQueryAsync();
        }

        await app.StartAsync();

        var online = await app.Storefront().GetFromJsonAsync<JsonElement>("/api/online");
        Assert.Equal("v-1", online.GetProperty("items")[0].GetProperty("sessionId").GetString());
        Assert.Equal("A", Assert.Single(app.Services.GetRequiredService<PresenceTracker>().GetCart(null, "v-1")).Sku);
    }
}
