using System.Text;
using System.Text.Json;

namespace NowOnline.Web.Api.Activity;

/// <summary>Where one property's value lies in the body: its token, and the bytes between its quotes (strings) or of the whole value.</summary>
internal readonly record struct JsonField(JsonTokenType Token, int Start, int Length, bool Escaped)
{
    /// <summary>Absent, or JSON <c>null</c>: both mean "not given".</summary>
    public bool IsMissing => Token is JsonTokenType.None or JsonTokenType.Null;
}

/// <summary>
/// Reads one JSON object of the body in a single forward pass, noting for each expected property name where its value
/// lies, so that the parser can then check the fields in its own order without a DOM (JsonDocument access was about 3 %
/// of the app's CPU under wrk in issue 14's baseline profile). Invariants, matching what the JsonDocument-based parser did:
/// a repeated name is reported once (on its second occurrence) and the last value wins; names are compared after
/// unescaping; a name with broken unicode is reported and otherwise ignored.
/// </summary>
internal sealed class JsonFields(ValidationErrors errors)
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private readonly List<string> _otherNames = new(4);

    /// <summary>
    /// Reads the object that starts at <paramref name="reader"/>'s current token (StartObject) up to its EndObject,
    /// filling <paramref name="fields"/> (index = position of the name in <paramref name="names"/>; unset stays default).
    /// </summary>
    public void Read(ref Utf8JsonReader reader, FieldNames names, scoped Span<JsonField> fields, string prefix)
    {
        fields.Clear();
        _otherNames.Clear();
        uint once = 0, twice = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var known = names.IndexOf(ref reader, out var other, out var broken);
            if (broken)
                errors.Add(prefix.Length == 0 ? "body" : prefix.TrimEnd('.'), "A property name contains broken unicode (a lone surrogate escape).");
            else if (known >= 0)
            {
                var bit = 1u << known;
                if ((once & bit) != 0 && (twice & bit) == 0)
                {
                    twice |= bit;
                    errors.Add(prefix + names[known], $"The property '{names[known]}' appears more than once.");
                }

                once |= bit;
            }
            else RejectRepeated(other!, prefix);

            reader.Read();
            var field = Field(ref reader);
            if (known >= 0) fields[known] = field;
        }
    }

    private static JsonField Field(ref Utf8JsonReader reader)
    {
        var start = (int)reader.TokenStartIndex;
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject or JsonTokenType.StartArray:
                reader.Skip();
                return new JsonField(reader.TokenType == JsonTokenType.EndObject ? JsonTokenType.StartObject : JsonTokenType.StartArray,
                    start, (int)reader.BytesConsumed - start, false);
            case JsonTokenType.String:
                return new JsonField(JsonTokenType.String, start + 1, reader.ValueSpan.Length, reader.ValueIsEscaped);
            default:
                return new JsonField(reader.TokenType, start, reader.ValueSpan.Length, false);
        }
    }

    private void RejectRepeated(string name, string prefix)
    {
        var before = 0;
        foreach (var seen in _otherNames)
            if (string.Equals(seen, name, StringComparison.Ordinal)) before++;
        _otherNames.Add(name);
        if (before == 1) errors.Add(prefix + Truncate(name), $"The property '{Truncate(name)}' appears more than once.");
    }

    /// <summary>
    /// A string value as .NET text, or null when its bytes are not valid UTF-8 or an escape decodes to a lone surrogate
    /// (what JsonElement.GetString refused with an InvalidOperationException).
    /// </summary>
    public static string? Text(ReadOnlySpan<byte> body, JsonField field)
    {
        var value = body.Slice(field.Start, field.Length);
        if (!field.Escaped)
        {
            try
            {
                return StrictUtf8.GetString(value);
            }
            catch (DecoderFallbackException)
            {
                return null;
            }
        }

        // Escaped strings are rare: let the reader unescape the token, quotes included.
        var reader = new Utf8JsonReader(body.Slice(field.Start - 1, field.Length + 2));
        reader.Read();
        try
        {
            return reader.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    public static string Truncate(string text) => text.Length <= 40 ? text : text[..40] + "…";
}

/// <summary>The property names one kind of object is read for, at most 32, as UTF-8 and as text.</summary>
internal sealed class FieldNames
{
    private readonly string[] _names;
    private readonly byte[][] _utf8;

    public FieldNames(params string[] names)
    {
        if (names.Length > 32) throw new ArgumentException("At most 32 names: repeats are tracked in one bit mask.", nameof(names));
        _names = names;
        _utf8 = names.Select(Encoding.UTF8.GetBytes).ToArray();
    }

    public string this[int index] => _names[index];

    /// <summary>The index of the reader's property name, or -1 with the name as text (null and <paramref name="broken"/> when it cannot be decoded).</summary>
    public int IndexOf(ref Utf8JsonReader reader, out string? other, out bool broken)
    {
        other = null;
        broken = false;
        if (!reader.ValueIsEscaped)
        {
            var name = reader.ValueSpan;
            for (var i = 0; i < _utf8.Length; i++)
                if (name.SequenceEqual(_utf8[i])) return i;
        }

        try
        {
            other = reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            broken = true;
            return -1;
        }

        var index = Array.IndexOf(_names, other);
        if (index >= 0) other = null;
        return index;
    }
}
