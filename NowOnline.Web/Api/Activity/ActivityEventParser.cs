using System.Globalization;
using System.Net.Mail;
using System.Text;
using System.Text.Json;
using NowOnline.Core.Presence;

namespace NowOnline.Web.Api.Activity;

/// <summary>
/// Turns one JSON event of the body into an <see cref="ActivityEvent"/>, or records a readable message per bad field
/// under its path (for example <c>[3].customer.email</c>). It reads the body's bytes (<see cref="JsonFields"/>), not a DOM.
/// </summary>
public sealed class ActivityEventParser
{
    public const int MaxIdLength = 128;
    public const int MaxNameLength = 255;
    public const int MaxEmailLength = 254;
    public const int MaxUrlLength = 2048;
    public const int MaxSkuLength = 64;
    public const int MaxStoreLength = 64;
    public const int MaxUserAgentLength = 1024;
    public const int MaxQty = 100_000;
    private static readonly TimeSpan MaxFutureSkew = TimeSpan.FromMinutes(5);
    private static readonly string AllowedTypes = string.Join(", ", ActivityTypes.WireNames);

    // The index of each name in its FieldNames is its slot in the fields span.
    private static readonly FieldNames EventNames = new("eventId", "type", "sessionId", "customer", "url", "occurredAt", "item", "store", "userAgent");
    private const int EventId = 0, Type = 1, SessionId = 2, CustomerField = 3, UrlField = 4, OccurredAtField = 5, ItemField = 6, Store = 7, UserAgent = 8;
    private static readonly FieldNames CustomerNames = new("id", "firstName", "lastName", "email", "company");
    private const int Id = 0, FirstName = 1, LastName = 2, Email = 3, Company = 4;
    private static readonly FieldNames ItemNames = new("sku", "name", "qty");
    private const int Sku = 0, Name = 1, Qty = 2;

    // The type's wire names as UTF-8, so the common unescaped type becomes an enum without a string.
    private static readonly (byte[] Utf8, ActivityType Type)[] TypesUtf8 = ActivityTypes.WireNames
        .Select(name => (Encoding.UTF8.GetBytes(name), ActivityTypes.TryParse(name, out var type) ? type : default)).ToArray();

    // Values kept once they passed the checks (TextPool); one pool per field, as each field has its own checks.
    private static readonly TextPool Urls = new(16384), UserAgents = new(1024), Stores = new(256), Skus = new(4096), ProductNames = new(4096);

    private readonly DateTimeOffset _now;
    private readonly IngestionOptions _options;
    private readonly ValidationErrors _errors;
    private readonly JsonFields _fields;

    public ActivityEventParser(DateTimeOffset now, IngestionOptions options, ValidationErrors errors)
    {
        // Whole milliseconds, as the log stores times: an event without occurredAt then needs no trimmed copy when it is
        // stored (StoredEvent.ToStoredPrecision copied 3.7 % of the bytes allocated per event under wrk).
        now = new DateTimeOffset(now.UtcTicks - now.UtcTicks % TimeSpan.TicksPerMillisecond, TimeSpan.Zero);
        (_now, _options, _errors) = (now, options, errors);
        _fields = new JsonFields(errors);
    }

    /// <summary>
    /// Parses the value at <paramref name="reader"/>'s current token (leaving the reader on its last token), or notes why it
    /// is no event. <paramref name="path"/> is the item's path ("" for a body that is one object).
    /// </summary>
    internal ActivityEvent? Parse(ReadOnlySpan<byte> body, ref Utf8JsonReader reader, string path)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            _errors.Add(path.Length == 0 ? "body" : path, "Each event must be a JSON object.");
            reader.Skip();
            return null;
        }

        var before = _errors.Count;
        var prefix = path.Length == 0 ? "" : path + ".";
        Span<JsonField> fields = stackalloc JsonField[9];
        _fields.Read(ref reader, EventNames, fields, prefix);
        var eventId = Identifier(body, fields[EventId], "eventId", prefix, required: false);
        var sessionId = Identifier(body, fields[SessionId], "sessionId", prefix, required: true);
        var type = TypeOf(body, fields[Type], prefix);
        var occurredAt = OccurredAt(body, fields[OccurredAtField], prefix);
        var url = Url(body, fields[UrlField], prefix);
        var store = Text(body, fields[Store], "store", prefix, MaxStoreLength, pool: Stores);
        var userAgent = Text(body, fields[UserAgent], "userAgent", prefix, MaxUserAgentLength, pool: UserAgents);
        var customer = Customer(body, fields[CustomerField], prefix, required: type is ActivityType.Login or ActivityType.Register);
        var line = Item(body, fields[ItemField], prefix, type);

        if (_errors.Count > before || type is null || sessionId is null) return null;
        return new ActivityEvent(eventId, type.Value, sessionId, occurredAt, customer, url, line, store, userAgent);
    }

    private ActivityType? TypeOf(ReadOnlySpan<byte> body, JsonField value, string prefix)
    {
        if (value.IsMissing)
        {
            _errors.Add(prefix + "type", $"The type is required: one of {AllowedTypes}.");
            return null;
        }

        if (value.Token == JsonTokenType.String)
        {
            if (!value.Escaped)
            {
                var utf8 = body.Slice(value.Start, value.Length);
                foreach (var (name, type) in TypesUtf8)
                    if (utf8.SequenceEqual(name)) return type;
            }
            else if (ActivityTypes.TryParse(JsonFields.Text(body, value), out var type)) return type;
        }

        _errors.Add(prefix + "type", $"Unknown event type {Quote(body, value)}: use one of {AllowedTypes}.");
        return null;
    }

    private string? Identifier(ReadOnlySpan<byte> body, JsonField field, string name, string prefix, bool required)
    {
        var value = Text(body, field, name, prefix, MaxIdLength, required);
        if (value is null) return null;
        var (space, format) = (false, false);
        foreach (var c in value)
        {
            space |= char.IsWhiteSpace(c);
            format |= char.GetUnicodeCategory(c) == UnicodeCategory.Format;
        }

        if (space)
        {
            _errors.Add(prefix + name, $"The {name} must not contain spaces.");
            return null;
        }

        if (format)
        {
            _errors.Add(prefix + name, $"The {name} must be printable: it contains invisible formatting characters.");
            return null;
        }

        return value;
    }

    private DateTimeOffset OccurredAt(ReadOnlySpan<byte> body, JsonField field, string prefix)
    {
        DateTimeOffset at;
        if (field.Token == JsonTokenType.String && !field.Escaped && IsoTime.TryParse(body.Slice(field.Start, field.Length), out at))
            return InRange(at, prefix);

        var text = Text(body, field, "occurredAt", prefix, 64);
        if (text is null) return _now;
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out at) || !HasOffset(text))
        {
            _errors.Add(prefix + "occurredAt", "The occurredAt must be an ISO 8601 date and time with an offset, such as 2026-11-22T11:00:00Z.");
            return _now;
        }

        return InRange(at, prefix);
    }

    private DateTimeOffset InRange(DateTimeOffset at, string prefix)
    {
        if (at > _now + MaxFutureSkew)
            _errors.Add(prefix + "occurredAt", "The occurredAt is more than 5 minutes in the future; check the storefront's clock.");
        else if (at < _now - TimeSpan.FromMinutes(_options.MaxEventAgeMinutes))
            _errors.Add(prefix + "occurredAt", $"The occurredAt is older than {_options.MaxEventAgeMinutes} minutes; such events are not accepted.");
        return at.ToUniversalTime();
    }

    private static bool HasOffset(string text) =>
        text.EndsWith('Z') || text.EndsWith('z') || (text.Length > 6 && text[^6] is '+' or '-' && text[^3] == ':');

    private string? Url(ReadOnlySpan<byte> body, JsonField field, string prefix)
    {
        var utf8 = field.Token == JsonTokenType.String && !field.Escaped ? body.Slice(field.Start, field.Length) : default;
        if (!utf8.IsEmpty && Urls.Find(utf8) is { } seen) return seen;
        var text = Text(body, field, "url", prefix, MaxUrlLength);
        if (text is null) return null;
        if (text.AsSpan().ContainsAny(WhiteSpace) || HasWhiteSpace(text))
        {
            _errors.Add(prefix + "url", "The url must not contain spaces; percent-encode them.");
            return null;
        }

        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
        {
            if (!utf8.IsEmpty) Urls.Keep(utf8, text);
            return text;
        }

        _errors.Add(prefix + "url", "The url must be an absolute http or https URL.");
        return null;
    }

    private CustomerProfile? Customer(ReadOnlySpan<byte> body, JsonField field, string prefix, bool required)
    {
        if (field.IsMissing)
        {
            if (required) _errors.Add(prefix + "customer", "A customer (with at least an id) is required for login and register events.");
            return null;
        }

        if (field.Token != JsonTokenType.StartObject)
        {
            _errors.Add(prefix + "customer", "The customer must be an object.");
            return null;
        }

        var path = prefix + "customer.";
        Span<JsonField> fields = stackalloc JsonField[5];
        ReadNested(body, field, CustomerNames, fields, path);
        long? id = null;
        var idValue = fields[Id];
        if (idValue.IsMissing)
            _errors.Add(path + "id", "The customer id is required.");
        else if (!TryGetNumber(body, idValue, out long parsed) || parsed <= 0)
            _errors.Add(path + "id", "The customer id must be a whole number greater than 0.");
        else id = parsed;

        var first = Text(body, fields[FirstName], "firstName", path, MaxNameLength);
        var last = Text(body, fields[LastName], "lastName", path, MaxNameLength);
        var company = Text(body, fields[Company], "company", path, MaxNameLength);
        var email = Text(body, fields[Email], "email", path, MaxEmailLength);
        if (email is not null && !IsEmail(email))
        {
            _errors.Add(path + "email", "The email is not a valid address.");
            email = null;
        }

        return id is null ? null : new CustomerProfile(id.Value, first, last, email, company);
    }

    private static bool IsEmail(string email) =>
        MailAddress.TryCreate(email, out var address) && address.Address == email && email.Contains('.', StringComparison.Ordinal);

    private CartLine? Item(ReadOnlySpan<byte> body, JsonField field, string prefix, ActivityType? type)
    {
        var isCart = type?.IsCartChange() == true;
        if (field.IsMissing)
        {
            if (isCart) _errors.Add(prefix + "item", "Cart events need an item with a sku and a qty.");
            return null;
        }

        if (field.Token != JsonTokenType.StartObject)
        {
            _errors.Add(prefix + "item", "The item must be an object.");
            return null;
        }

        var path = prefix + "item.";
        Span<JsonField> fields = stackalloc JsonField[3];
        ReadNested(body, field, ItemNames, fields, path);
        var sku = Text(body, fields[Sku], "sku", path, MaxSkuLength, required: true, pool: Skus);
        var name = Text(body, fields[Name], "name", path, MaxNameLength, pool: ProductNames);
        var minimum = type == ActivityType.CartAdd ? 1 : 0;
        int qty = type == ActivityType.CartRemove ? 0 : minimum;
        var qtyValue = fields[Qty];
        if (!qtyValue.IsMissing)
        {
            if (!TryGetNumber(body, qtyValue, out qty) || qty < minimum || qty > MaxQty)
            {
                _errors.Add(path + "qty", $"The qty must be a whole number from {minimum} to {MaxQty}.");
                return null;
            }
        }
        else if (type is ActivityType.CartAdd or ActivityType.CartUpdate)
        {
            _errors.Add(path + "qty", $"The qty is required for {type.Value.ToWireName()} events.");
            return null;
        }

        return sku is null ? null : new CartLine(sku, name, qty);
    }

    // A nested object was skipped (and so checked) on the first pass; its properties are read from its own bytes now, after
    // the enclosing object's fields, so messages come in the same order as the fields are checked.
    private void ReadNested(ReadOnlySpan<byte> body, JsonField field, FieldNames names, scoped Span<JsonField> fields, string path)
    {
        var nested = body.Slice(field.Start, field.Length);
        var reader = new Utf8JsonReader(nested);
        reader.Read();
        _fields.Read(ref reader, names, fields, path);
        for (var i = 0; i < fields.Length; i++)
            if (fields[i].Token != JsonTokenType.None) fields[i] = fields[i] with { Start = fields[i].Start + field.Start };
    }

    // Whole numbers only, read as JsonElement.TryGetInt64/TryGetInt32 read them: "1e2", "4.2" and out-of-range values are refused.
    private static bool TryGetNumber(ReadOnlySpan<byte> body, JsonField field, out long value)
    {
        value = 0;
        return field.Token == JsonTokenType.Number
               && System.Buffers.Text.Utf8Parser.TryParse(body.Slice(field.Start, field.Length), out value, out var used) && used == field.Length;
    }

    private static bool TryGetNumber(ReadOnlySpan<byte> body, JsonField field, out int value)
    {
        value = 0;
        return field.Token == JsonTokenType.Number
               && System.Buffers.Text.Utf8Parser.TryParse(body.Slice(field.Start, field.Length), out value, out var used) && used == field.Length;
    }

    private string? Text(ReadOnlySpan<byte> body, JsonField field, string name, string prefix, int maxLength, bool required = false,
        TextPool? pool = null)
    {
        if (field.IsMissing)
        {
            if (required) _errors.Add(prefix + name, $"The {name} is required.");
            return null;
        }

        if (field.Token != JsonTokenType.String)
        {
            _errors.Add(prefix + name, $"The {name} must be a string.");
            return null;
        }

        // Escaped values (rare) are decoded and checked every time; the pool is keyed by the bytes as sent.
        var utf8 = pool is not null && !field.Escaped ? body.Slice(field.Start, field.Length) : default;
        if (!utf8.IsEmpty && pool!.Find(utf8) is { } seen) return seen;
        if (JsonFields.Text(body, field) is not { } text)
        {
            _errors.Add(prefix + name, $"The {name} contains broken unicode (a lone surrogate escape).");
            return null;
        }

        if (text.Length == 0 || string.IsNullOrWhiteSpace(text))
        {
            if (required) _errors.Add(prefix + name, $"The {name} must not be empty.");
            return null;
        }

        if (text.Length > maxLength)
        {
            _errors.Add(prefix + name, $"The {name} is {text.Length} characters long; at most {maxLength} are allowed.");
            return null;
        }

        // One pass over the text for the three checks below (this runs for every field of every event).
        var (control, unpaired, overrides) = (false, false, false);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c < '\u00A0')
            {
                control |= char.IsControl(c);
                continue;
            }

            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) i++;
            else if (char.IsSurrogate(c)) unpaired = true;
            else overrides |= IsDirectionOverride(c);
        }

        if (control || unpaired)
        {
            _errors.Add(prefix + name, $"The {name} contains control characters or broken unicode.");
            return null;
        }

        if (overrides)
        {
            _errors.Add(prefix + name, $"The {name} contains text-direction override characters, which can disguise what it shows.");
            return null;
        }

        if (!utf8.IsEmpty) pool!.Keep(utf8, text);
        return text;
    }

    // Embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) reorder what an admin reads; marks (U+200E/F) stay allowed.
    private static bool IsDirectionOverride(char c) => c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069';

    // ASCII white space, searched vectorised; other Unicode white space is rare and checked only when non-ASCII is present.
    private static readonly System.Buffers.SearchValues<char> WhiteSpace = System.Buffers.SearchValues.Create(" \t\n\v\f\r\u0085\u00A0");

    private static bool HasWhiteSpace(string text)
    {
        foreach (var c in text)
            if (c > '\u00A0' && char.IsWhiteSpace(c)) return true;
        return false;
    }

    private static string Quote(ReadOnlySpan<byte> body, JsonField value) => value.Token switch
    {
        JsonTokenType.String => $"'{JsonFields.Truncate(JsonFields.Text(body, value) ?? "?")}'",
        JsonTokenType.StartObject => "object",
        JsonTokenType.StartArray => "array",
        _ => value.Token.ToString().ToLowerInvariant(), // Number, True, False: as JsonValueKind names them
    };
}
