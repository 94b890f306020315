namespace NowOnline.Web.Api.Activity;

/// <summary>
/// Reads the shape storefronts send, <c>yyyy-MM-ddTHH:mm:ss[.fffffff](Z|±HH:mm)</c>, straight from the UTF-8 bytes, so
/// the common occurredAt needs no string (issue 14: per-request garbage was much of the 14.75 % libcoreclr share under
/// wrk). Anything else, or anything near a range edge, answers false and the caller falls back to
/// <see cref="DateTimeOffset.TryParse(string, IFormatProvider, System.Globalization.DateTimeStyles, out DateTimeOffset)"/>,
/// which decides (and words) every other case exactly as before. Whatever this accepts, that parse reads the same.
/// </summary>
internal static class IsoTime
{
    public static bool TryParse(ReadOnlySpan<byte> text, out DateTimeOffset value)
    {
        value = default;
        if (text.Length is < 20 or > 33
            || !Digits(text, 0, 4, out var year) || text[4] != '-' || !Digits(text, 5, 2, out var month) || text[7] != '-'
            || !Digits(text, 8, 2, out var day) || text[10] != 'T' || !Digits(text, 11, 2, out var hour) || text[13] != ':'
            || !Digits(text, 14, 2, out var minute) || text[16] != ':' || !Digits(text, 17, 2, out var second))
            return false;

        var at = 19;
        var ticks = 0;
        if (text[at] == '.')
        {
            var digits = 0;
            for (at++; at < text.Length && text[at] is >= (byte)'0' and <= (byte)'9' && digits < 7; at++, digits++)
                ticks = ticks * 10 + (text[at] - '0');
            if (digits == 0) return false;
            for (; digits < 7; digits++) ticks *= 10;
        }

        var offset = TimeSpan.Zero;
        if (at == text.Length - 6 && text[at] is (byte)'+' or (byte)'-' && Digits(text, at + 1, 2, out var offsetHours)
            && text[at + 3] == ':' && Digits(text, at + 4, 2, out var offsetMinutes))
        {
            if (offsetHours > 13 || offsetMinutes > 59) return false;
            offset = new TimeSpan(offsetHours, offsetMinutes, 0);
            if (text[at] == '-') offset = -offset;
        }
        else if (at != text.Length - 1 || text[at] != 'Z') return false;

        if (year is < 2 or > 9998 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)
            || hour > 23 || minute > 59 || second > 59)
            return false;
        value = new DateTimeOffset(new DateTime(year, month, day, hour, minute, second).AddTicks(ticks), offset);
        return true;
    }

    private static bool Digits(ReadOnlySpan<byte> text, int start, int count, out int value)
    {
        value = 0;
        for (var i = start; i < start + count; i++)
        {
            if (text[i] is < (byte)'0' or > (byte)'9') return false;
            value = value * 10 + (text[i] - '0');
        }

        return true;
    }
}
