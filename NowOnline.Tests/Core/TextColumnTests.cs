using NowOnline.Core.Presence;

namespace NowOnline.Tests.Core;

/// <summary>
/// A text column of the online rows: values kept back to back and named by id, matched and ordered exactly as the strings
/// themselves would be (ordinal, ignoring case), through id reuse and compaction.
/// </summary>
public sealed class TextColumnTests
{
    // Letters whose case rules differ outside ASCII (dotless i, long s, Kelvin sign, sharp s), accents, a surrogate pair.
    private static readonly string[] Pieces =
        ["a", "n", "An", "ex", "AMPLE", "-", "@", "é", "É", "ı", "I", "ſ", "S", "\u212A", "k", "ß", "SS", "\U0001F600", "0", "7", ""];

    [Fact]
    public void A_shared_value_is_kept_once_and_known_after_its_last_row_lets_go_until_a_compaction()
    {
        var column = new TextColumn(shared: true);

        var first = column.Acquire("https://shop.example/cart");
        var second = column.Acquire(new string("https://shop.example/cart".ToCharArray()));
        var other = column.Acquire("https://shop.example/sale");

        Assert.Equal(first, second);
        Assert.NotEqual(first, other);
        Assert.Equal(2, column.Live);

        column.Release(first);
        Assert.Equal("https://shop.example/cart", column[first]);
        column.Release(second);
        Assert.Equal(1, column.Live);
        Assert.Equal(2, column.Known);
        Assert.Equal(first, column.Acquire("https://shop.example/cart")); // held again: the same id, nothing stored twice
        Assert.Equal(2, column.Live);
    }

    [Fact]
    public void Values_no_row_holds_are_forgotten_at_compactions_so_the_column_stays_bounded()
    {
        var column = new TextColumn(shared: true);
        var held = column.Acquire("https://shop.example/kept");

        for (var i = 0; i < 200_000; i++) column.Release(column.Acquire($"https://shop.example/catalog/product/{i}"));

        Assert.Equal(1, column.Live);
        Assert.InRange(column.Known, 1, 100_000);
        Assert.InRange(column.Capacity, 1, 8_000_000);
        Assert.Equal("https://shop.example/kept", column[held]);
        Assert.NotEqual(held, column.Acquire("https://shop.example/catalog/product/0"));
        Assert.Equal(held, column.Acquire("https://shop.example/kept"));
    }

    [Fact]
    public void An_owned_column_gives_every_row_its_own_id_even_for_equal_values()
    {
        var column = new TextColumn(shared: false);

        Assert.NotEqual(column.Acquire("ada@example.com"), column.Acquire("ada@example.com"));
        Assert.Equal(2, column.Live);
        Assert.Equal(0, column.Acquire(null));
    }

    [Fact]
    public void A_shared_column_gives_back_the_instance_it_stored_for_an_equal_value()
    {
        var column = new TextColumn(shared: true);
        const string stored = "https://shop.example/checkout";
        column.Acquire(stored, out var first);
        var equal = new string(stored.ToCharArray());

        column.Acquire(equal, out var second);
        new TextColumn(shared: false).Acquire(equal, out var owned);

        Assert.Same(stored, first);
        Assert.Same(stored, second);
        Assert.Same(equal, owned);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Matching_agrees_with_string_contains_ignoring_case_through_reuse_and_compaction(bool shared)
    {
        var random = new Random(5);
        var column = new TextColumn(shared);
        var held = new List<(int Id, string Value)>();
        for (var round = 0; round < 40; round++)
        {
            // Churn: most values leave, new ones arrive (reusing freed ids, appending text, compacting now and then).
            for (var i = 0; i < 2_000; i++) held.Add(Hold(column, Text(random)));
            random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(held));
            foreach (var (id, _) in held.Take(held.Count * 3 / 4)) column.Release(id);
            held.RemoveRange(0, held.Count * 3 / 4);

            foreach (var term in new[] { Text(random), Text(random), "a", "na", "É", "\u212A", "ss", "x@", "7a" })
            {
                if (term.Length == 0) continue;
                var bits = new ulong[(column.IdLimit + 63) / 64];
                column.Match(term, bits, 0, column.IdLimit);
                foreach (var (id, value) in held)
                {
                    var expected = value.Contains(term, StringComparison.OrdinalIgnoreCase);
                    Assert.True(expected == ((bits[id >> 6] >> (id & 63) & 1) == 1), $"'{value}' contains '{term}': {expected}");
                }
            }
        }
    }

    [Fact]
    public void Matching_does_not_join_two_values_that_lie_side_by_side()
    {
        var column = new TextColumn(shared: false);
        var ids = Enumerable.Range(0, 600).Select(i => column.Acquire(i % 2 == 0 ? "xxab" : "cdxx")).ToList();
        var bits = new ulong[(column.IdLimit + 63) / 64];

        column.Match("bc", bits, 0, column.IdLimit);

        Assert.All(bits, word => Assert.Equal(0UL, word));
        column.Match("ab", bits, 0, column.IdLimit);
        Assert.Equal(300, ids.Count(id => (bits[id >> 6] >> (id & 63) & 1) == 1));
    }

    [Fact]
    public void Ordering_agrees_with_ordinal_ignore_case_for_any_text_and_puts_no_value_first()
    {
        var random = new Random(3);
        var column = new TextColumn(shared: true);
        var values = Enumerable.Range(0, 3_000).Select(_ => random.Next(20) == 0 ? null : Text(random, @long: random.Next(3) == 0)).ToList();
        values.AddRange(["abcdefghi", "ABCDEFGHIJ", "abcdefghi\0", "abcdefgh", "abcdefghé", "ABCDEFGHÉ", "abcdefghz", ""]);
        var ids = values.Select(column.Acquire).ToList();

        for (var n = 0; n < 40_000; n++)
        {
            var (x, y) = (random.Next(values.Count), random.Next(values.Count));
            var expected = Math.Sign(StringComparer.OrdinalIgnoreCase.Compare(values[x], values[y]));
            Assert.True(expected == Math.Sign(column.Compare(ids[x], ids[y])), $"'{values[x]}' vs '{values[y]}'");
        }
    }

    [Fact]
    public void Compaction_keeps_the_text_array_bounded_under_churn()
    {
        var column = new TextColumn(shared: false);
        var ids = Enumerable.Range(0, 10_000).Select(i => column.Acquire($"session-{i:D8}")).ToArray();
        var capacity = column.Capacity;

        for (var round = 0; round < 50; round++)
            for (var i = 0; i < ids.Length; i++)
                ids[i] = column.Replace(ids[i], $"session-{round}-{i:D8}");

        Assert.InRange(column.Capacity, 1, capacity * 4);
        Assert.Equal(10_000, column.Live);
        Assert.Equal($"session-49-{9_999:D8}", column[ids[^1]]);
    }

    private static (int, string) Hold(TextColumn column, string value) => (column.Acquire(value), value);

    private static string Text(Random random, bool @long = false)
    {
        var parts = random.Next(1, @long ? 14 : 6);
        return string.Concat(Enumerable.Range(0, parts).Select(_ => Pieces[random.Next(Pieces.Length)]));
    }
}
