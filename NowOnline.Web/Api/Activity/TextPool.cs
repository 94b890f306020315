using System.Numerics;

namespace NowOnline.Web.Api.Activity;

/// <summary>
/// Field values storefronts send again and again (user agents, page URLs, store codes, SKUs and product names), kept once
/// after they passed the parser's checks: the same UTF-8 bytes are answered with the kept string, so the parser makes no
/// new string, transcodes nothing and checks nothing again. The tracker then stores one long-lived string per value
/// instead of a new one per event that lives in a session until the next event replaces it (garbage that reaches the
/// oldest generation: "Garbage per event" in bench/performance-notes.md).
/// <para>
/// Bounded whatever the traffic: a fixed number of places, each chosen by a hash seeded per process (<see cref="HashCode"/>),
/// the last value to land on a place wins, and values over <see cref="MaxBytes"/> are never kept. Made-up values only
/// evict each other. Thread-safe: an entry is immutable and replaced whole.
/// </para>
/// </summary>
internal sealed class TextPool
{
    /// <summary>Longer values are not kept (a place then holds at most about 1.5 KB).</summary>
    public const int MaxBytes = 512;

    private readonly Entry?[] _entries;

    public TextPool(int places)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(places, 1);
        _entries = new Entry?[BitOperations.RoundUpToPowerOf2((uint)places)];
    }

    /// <summary>The kept string whose UTF-8 bytes are <paramref name="utf8"/>, or null.</summary>
    public string? Find(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > MaxBytes) return null;
        var entry = _entries[PlaceOf(utf8)];
        return entry is not null && utf8.SequenceEqual(entry.Utf8) ? entry.Text : null;
    }

    /// <summary>Keeps <paramref name="text"/>, which must be what <paramref name="utf8"/> decodes to and must have passed the checks.</summary>
    public void Keep(ReadOnlySpan<byte> utf8, string text)
    {
        if (utf8.Length > MaxBytes) return;
        _entries[PlaceOf(utf8)] = new Entry(utf8.ToArray(), text);
    }

    private int PlaceOf(ReadOnlySpan<byte> utf8)
    {
        var hash = new HashCode();
        hash.AddBytes(utf8);
        return hash.ToHashCode() & (_entries.Length - 1);
    }

    private sealed record Entry(byte[] Utf8, string Text);
}
