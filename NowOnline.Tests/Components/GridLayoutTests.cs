using Bunit;
using MudBlazor.Services;
using NowOnline.Core.Presence;
using NowOnline.Tests.Support;
using NowOnline.Web.Components.Grid;
using static NowOnline.Tests.Support.Events;

namespace NowOnline.Tests.Components;

/// <summary>The grid picks the table or the cards by the width of its area and the admin's columns.</summary>
public sealed class GridLayoutTests : BunitContext
{
    private readonly PresenceTracker _tracker = TrackerFactory.Create(TimeProvider.System);

    public GridLayoutTests()
    {
        Services.AddSingleton(_tracker);
        Services.AddSingleton(TimeProvider.System);
        Services.AddMudServices();
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    private static readonly GridColumns FourColumns =
        new[] { "id", "email", "lastUrl", "company", "store" }.Aggregate(GridColumns.Default, (c, key) => c.Toggle(key));

    [Theory]
    [InlineData(0, "all", GridLayout.Unknown)]
    [InlineData(390, "all", GridLayout.Cards)]
    [InlineData(720, "all", GridLayout.Cards)]
    [InlineData(899, "all", GridLayout.Cards)]
    [InlineData(900, "all", GridLayout.Table)]
    [InlineData(1400, "all", GridLayout.Table)]
    [InlineData(720, "four", GridLayout.Table)]
    [InlineData(500, "four", GridLayout.Cards)]
    public void Layout_fits_the_width_of_the_grid_area_and_the_shown_columns(double width, string columns, GridLayout expected)
    {
        Assert.Equal(expected, GridFit.For(width, columns == "all" ? GridColumns.Default : FourColumns));
    }

    [Fact]
    public void A_narrow_area_gets_only_the_cards_and_a_wide_one_only_the_table()
    {
        _tracker.Apply([Login("s-1", DateTimeOffset.UtcNow), CartAdd("v-1", DateTimeOffset.UtcNow)]);
        JSInterop.Setup<double>("nowOnline.watchWidth", _ => true).SetResult(366);

        var grid = Render<OnlineGrid>();

        grid.WaitForAssertion(() => Assert.Equal("cards", grid.Find("[data-testid=grid-area]").GetAttribute("data-layout")));
        Assert.Equal(2, grid.FindAll("[data-testid=card]").Count);
        Assert.Empty(grid.FindAll(".online-grid"));
        Assert.Single(grid.FindAll("[data-testid=pager]"));

        grid.InvokeAsync(() => grid.FindComponent<GridArea>().Instance.OnWidthChangedAsync(1200));

        grid.WaitForAssertion(() => Assert.Equal("table", grid.Find("[data-testid=grid-area]").GetAttribute("data-layout")));
        Assert.Empty(grid.FindAll("[data-testid=card]"));
        Assert.Equal(2, grid.RowKeys().Count);
        Assert.Single(grid.FindAll("[data-testid=pager]"));
    }

    [Fact]
    public void Before_the_width_is_known_both_are_on_the_page_with_one_pager()
    {
        _tracker.Apply([CartAdd("v-1", DateTimeOffset.UtcNow)]);

        var grid = Render<OnlineGrid>();

        Assert.Equal("unknown", grid.Find("[data-testid=grid-area]").GetAttribute("data-layout"));
        Assert.Single(grid.FindAll("[data-testid=card]"));
        Assert.Single(grid.RowKeys());
        Assert.Single(grid.FindAll("[data-testid=pager]"));
    }
}
