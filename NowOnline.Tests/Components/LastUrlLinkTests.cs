using Bunit;
using NowOnline.Web.Components.Grid;

namespace NowOnline.Tests.Components;

public sealed class LastUrlLinkTests : BunitContext
{
    [Fact]
    public void Http_url_is_a_link_that_opens_in_a_new_tab()
    {
        var link = Render<LastUrlLink>(p => p.Add(c => c.Url, "https://shop.example/checkout/cart")).Find("a");

        Assert.Equal("https://shop.example/checkout/cart", link.GetAttribute("href"));
        Assert.Equal("_blank", link.GetAttribute("target"));
        Assert.Contains("noopener", link.GetAttribute("rel"));
    }

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("data:text/html,<script>alert(1)</script>")]
    public void Other_schemes_show_as_plain_text(string url)
    {
        var rendered = Render<LastUrlLink>(p => p.Add(c => c.Url, url));

        Assert.Empty(rendered.FindAll("a"));
        Assert.Equal(url, rendered.Find("span").TextContent);
    }
}
