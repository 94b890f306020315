using Microsoft.Playwright;
using NowOnline.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace NowOnline.Tests.Browser.Grid;

/// <summary>Escape behaves as a keyboard user expects, wherever the focus is.</summary>
[Collection(BrowserCollection.Name)]
public sealed class GridFocusTests(BrowserFixture browser) : GridTestBase(browser)
{
    [Fact]
    public async Task Escape_closes_the_details_from_anywhere_on_the_page_and_returns_focus_to_the_row()
    {
        await PostAsync(CartAdd("v-escape"));
        var grid = await OpenGridAsync();
        await grid.RowOpen("v:v-escape").ClickAsync();
        await Expect(grid.DetailPanel).ToBeVisibleAsync();

        await grid.Page.GetByRole(AriaRole.Heading, new() { Name = "Now Online" }).ClickAsync();
        await grid.Page.Keyboard.PressAsync("Escape");

        await Expect(grid.DetailPanel).ToBeHiddenAsync();
        await Expect(grid.RowOpen("v:v-escape")).ToBeFocusedAsync();

        await grid.RowOpen("v:v-escape").ClickAsync();
        await grid.PauseToggle.FocusAsync();
        await grid.Page.Keyboard.PressAsync("Escape");
        await Expect(grid.DetailPanel).ToBeHiddenAsync();
        await Expect(grid.RowOpen("v:v-escape")).ToBeFocusedAsync();
    }
}
