using System.Text;
using NowOnline.Web.Api.Activity;

namespace NowOnline.Tests.Api;

/// <summary>The parser's pool of checked field values: bounded, exact, and never a value it was not given.</summary>
public sealed class TextPoolTests
{
    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public void A_kept_value_is_found_by_its_bytes_as_the_same_string()
    {
        var pool = new TextPool(64);
        var agent = "Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/133.0 — ünïcode";
        pool.Keep(Utf8(agent), agent);

        var found = pool.Find(Utf8(agent));

        Assert.Same(agent, found);
        Assert.Null(pool.Find(Utf8(agent + " ")));
        Assert.Null(pool.Find(Utf8(agent[..^1])));
        Assert.Null(pool.Find(Utf8("never kept")));
    }

    [Fact]
    public void Values_that_land_on_one_place_replace_each_other_and_are_never_confused()
    {
        var pool = new TextPool(1); // one place: every value collides
        pool.Keep(Utf8("https://shop.example/a"), "https://shop.example/a");
        pool.Keep(Utf8("https://shop.example/b"), "https://shop.example/b");

        Assert.Null(pool.Find(Utf8("https://shop.example/a")));
        Assert.Equal("https://shop.example/b", pool.Find(Utf8("https://shop.example/b")));
    }

    [Fact]
    public void A_value_longer_than_the_limit_is_not_kept()
    {
        var pool = new TextPool(64);
        var longest = new string('a', TextPool.MaxBytes);
        var tooLong = new string('b', TextPool.MaxBytes + 1);
        pool.Keep(Utf8(longest), longest);
        pool.Keep(Utf8(tooLong), tooLong);

        Assert.Same(longest, pool.Find(Utf8(longest)));
        Assert.Null(pool.Find(Utf8(tooLong)));
    }

    [Fact]
    public void A_pool_without_places_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new TextPool(0));
    }
}
