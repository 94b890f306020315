using Bunit;
using MudBlazor.Services;
using NowOnline.Core.Presence;
using NowOnline.Web.Components.Grid;

namespace NowOnline.Tests.Components;

/// <summary>The card list: cards in the page's order, a sort menu in the shop's words, the pager and the empty states.</summary>
public sealed class OnlineCardListTests : BunitContext
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    public OnlineCardListTests()
    {
        Services.AddMudServices();
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    private static OnlineRow Row(int i) =>
        new($"v:v-{i}", $"v-{i}", null, null, null, null, null, Now.AddSeconds(-i), SessionType.Visitor, $"https://shop.example/p/{i}", null, 1);

    private IRenderedComponent<OnlineCardList> RenderList(OnlinePage page, OnlineQuery? view = null, Action<OnlineQuery>? viewChanged = null,
        GridColumns? columns = null, bool showPager = true) =>
        Render<OnlineCardList>(p => p
            .Add(c => c.Page, page).Add(c => c.View, view ?? new OnlineQuery()).Add(c => c.Now, Now)
            .Add(c => c.Columns, columns ?? GridColumns.Default).Add(c => c.ShowPager, showPager)
            .Add(c => c.ViewChanged, viewChanged ?? (_ => { })));

    [Fact]
    public void One_card_per_row_in_the_pages_order_with_unique_descriptions()
    {
        var list = RenderList(new OnlinePage(3, [Row(2), Row(0), Row(1)], 3, 0, 3));

        Assert.Equal(["v:v-2", "v:v-0", "v:v-1"], list.FindAll("[data-testid=card]").Select(c => c.GetAttribute("data-key")));
        var described = list.FindAll("[data-testid=card-open]").Select(b => b.GetAttribute("aria-describedby")).ToList();
        Assert.Equal(3, described.Distinct().Count());
        Assert.Equal("Page 1 of 1 (3 rows)", list.Find("[data-testid=paging-summary]").TextContent);
    }

    [Fact]
    public void The_pager_is_left_to_the_table_while_both_are_on_the_page()
    {
        var list = RenderList(new OnlinePage(1, [Row(0)], 1, 0, 1), showPager: false);

        Assert.Empty(list.FindAll("[data-testid=pager]"));
    }

    [Fact]
    public void Sort_menu_lists_each_shown_column_both_ways_and_marks_the_current_order()
    {
        var columns = GridColumns.Default.Toggle("email").Toggle("store");
        var list = RenderList(new OnlinePage(0, [], 0, 0, 0), new OnlineQuery { Sort = OnlineSortField.LastName, Descending = true }, columns: columns);

        var options = list.FindAll("[data-testid=sort-menu] option").Select(o => o.TextContent.Trim()).ToList();
        Assert.Equal([
            "ID, lowest first", "ID, highest first", "First Name, A to Z", "First Name, Z to A", "Last Name, A to Z", "Last Name, Z to A",
            "Last Activity, newest first", "Last Activity, oldest first", "Type, customers first", "Type, visitors first",
            "Last URL, A to Z", "Last URL, Z to A", "Company, A to Z", "Company, Z to A",
        ], options);
        Assert.Equal("lastName:desc", list.Find("[data-testid=sort-menu]").GetAttribute("value"));
    }

    [Fact]
    public void Picking_a_sort_starts_the_view_on_its_first_page_sorted_that_way()
    {
        OnlineQuery? picked = null;
        var view = new OnlineQuery { Search = "ada", Skip = 40, Take = 20 };
        var list = RenderList(new OnlinePage(0, [], 0, 0, 0), view, q => picked = q);

        list.Find("[data-testid=sort-menu]").Change("company:asc");
        Assert.Equal(view with { Sort = OnlineSortField.Company, Descending = false, Skip = 0 }, picked);

        list.Find("[data-testid=sort-menu]").Change("id:desc");
        Assert.Equal(view with { Sort = OnlineSortField.Id, Descending = true, Skip = 0 }, picked);

        picked = null;
        list.Find("[data-testid=sort-menu]").Change("sessions:asc");
        Assert.Null(picked);
    }

    [Fact]
    public void The_column_sorted_by_stays_in_the_menu_when_it_is_hidden()
    {
        var list = RenderList(new OnlinePage(0, [], 0, 0, 0), new OnlineQuery { Sort = OnlineSortField.Email, Descending = false },
            columns: GridColumns.Default.Toggle("email"));

        Assert.Equal("email:asc", list.Find("[data-testid=sort-menu]").GetAttribute("value"));
        Assert.Contains("Email, A to Z", list.FindAll("[data-testid=sort-menu] option").Select(o => o.TextContent.Trim()));
    }

    [Fact]
    public void An_empty_list_says_whether_nobody_is_online_or_nobody_matches()
    {
        var empty = RenderList(new OnlinePage(0, [], 0, 0, 0));
        Assert.Contains("Nobody is online right now.", empty.Find("[data-testid=empty-state]").TextContent);

        var filtered = RenderList(new OnlinePage(0, [], 7, 2, 5));
        Assert.Contains("7 online in all", filtered.Find("[data-testid=no-match]").TextContent);
    }
}
