using NowOnline.Core.Presence;
using NowOnline.Web.Components.Grid;

namespace NowOnline.Tests.Components;

public sealed class GridPartsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(0, "just now")]
    [InlineData(30, "just now")]
    [InlineData(60, "1 min ago")]
    [InlineData(120, "2 min ago")]
    [InlineData(14 * 60 + 50, "15 min ago")]
    [InlineData(3 * 3600 + 10, "3 h ago")]
    [InlineData(-20, "just now")]
    public void Relative_time_reads_like_a_person_would_say_it(int secondsAgo, string expected)
    {
        Assert.Equal(expected, RelativeTime.Ago(Now.AddSeconds(-secondsAgo), Now));
    }

    [Fact]
    public void Column_layout_survives_storage()
    {
        var layout = GridColumns.Default.Toggle("email").Move("company", -3);

        var restored = GridColumns.FromJson(layout.ToJson());

        Assert.Equal(layout.Columns, restored.Columns);
        Assert.False(restored.IsVisible("email"));
        Assert.Equal(4, restored.OrderOf("company"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("{\"a\":1}")]
    [InlineData("[{\"Key\":\"shoeSize\",\"Visible\":true}]")]
    [InlineData("[{\"Key\":\"id\",\"Visible\":false},{\"Key\":\"firstName\",\"Visible\":false},{\"Key\":\"lastName\",\"Visible\":false},{\"Key\":\"email\",\"Visible\":false},{\"Key\":\"lastActivity\",\"Visible\":false},{\"Key\":\"type\",\"Visible\":false},{\"Key\":\"lastUrl\",\"Visible\":false},{\"Key\":\"company\",\"Visible\":false},{\"Key\":\"store\",\"Visible\":false}]")]
    public void Unreadable_or_empty_stored_layout_falls_back_to_all_columns(string? json)
    {
        Assert.Equal(GridColumns.Default.Columns, GridColumns.FromJson(json).Columns);
    }

    [Fact]
    public void Stored_layout_missing_a_column_gets_it_back_at_the_end()
    {
        var restored = GridColumns.FromJson("[{\"Key\":\"store\",\"Visible\":true},{\"Key\":\"id\",\"Visible\":false}]");

        Assert.Equal(["store", "id", "firstName", "lastName", "email", "lastActivity", "type", "lastUrl", "company"], restored.Columns.Select(c => c.Key));
        Assert.False(restored.IsVisible("id"));
    }

    [Fact]
    public void The_last_visible_column_cannot_be_hidden()
    {
        var one = GridColumns.Default;
        foreach (var column in GridColumns.Default.Columns.Skip(1)) one = one.Toggle(column.Key);

        Assert.Same(one, one.Toggle("id"));
    }

    [Fact]
    public void Header_click_sorts_a_new_column_ascending_flips_the_sorted_one_and_starts_at_the_first_page()
    {
        var view = new OnlineQuery { Sort = OnlineSortField.LastActivity, Descending = true, Skip = 40, Take = 20, Store = "fr" };

        var byEmail = OnlineGridView.SortBy(view, "email");
        var flipped = OnlineGridView.SortBy(byEmail, "email");
        var back = OnlineGridView.SortBy(flipped, "email");

        Assert.Equal(new OnlineQuery { Sort = OnlineSortField.Email, Descending = false, Skip = 0, Take = 20, Store = "fr" }, byEmail);
        Assert.True(flipped.Descending);
        Assert.False(back.Descending);
        Assert.False(OnlineGridView.SortBy(view, "lastActivity").Descending);
    }

    [Theory]
    [InlineData(0, 20, 1)]
    [InlineData(20, 20, 1)]
    [InlineData(21, 20, 2)]
    [InlineData(45, 20, 3)]
    public void Page_count_is_at_least_one(int total, int take, int expected)
    {
        Assert.Equal(expected, OnlineGridView.PageCount(total, take));
    }

    [Theory]
    [InlineData("https://shop.example/checkout/cart", "/checkout/cart")]
    [InlineData("https://shop.example/", "shop.example")]
    [InlineData("https://shop.example/search?q=red%20shoes#top", "/search?q=red shoes#top")]
    public void Last_url_shows_the_path_of_the_page(string url, string expected)
    {
        Assert.Equal(expected, LastUrlLink.Display(new Uri(url)));
    }
}
