using System.Globalization;
using System.Net.Mail;
using System.Text.Json;
using NowOnline.Core.Presence;

namespace NowOnline.Web.Api.Activity;

/// <summary>
/// Turns one JSON event into an <see cref="ActivityEvent"/>, or records a readable message per bad field
/// under its path (for example <c>[3].customer.email</c>).
/// </summary>
public sealed class ActivityEventParser(DateTimeOffset now, IngestionOptions options, ValidationErrors errors)
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
    private readonly List<string> _names = new(16);

    public ActivityEvent? Parse(JsonElement item, string path)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            errors.Add(path.Length == 0 ? "body" : path, "Each event must be a JSON object.");
            return null;
        }

        var before = errors.Count;
        var prefix = path.Length == 0 ? "" : path + ".";
        RejectRepeatedNames(item, prefix);
        var eventId = Identifier(item, "eventId", prefix, required: false);
        var sessionId = Identifier(item, "sessionId", prefix, required: true);
        var type = Type(item, prefix);
        var occurredAt = OccurredAt(item, prefix);
        var url = Url(item, prefix);
        var store = Text(item, "store", prefix, MaxStoreLength);
        var userAgent = Text(item, "userAgent", prefix, MaxUserAgentLength);
        var customer = Customer(item, prefix, required: type is ActivityType.Login or ActivityType.Register);
        var line = Item(item, prefix, type);

        if (errors.Count > before || type is null || sessionId is null) return null;
        return new ActivityEvent(eventId, type.Value, sessionId, occurredAt, customer, url, line, store, userAgent);
    }

    private ActivityType? Type(JsonElement item, string prefix)
    {
        var allowed = string.Join(", ", ActivityTypes.WireNames);
        if (!item.TryGetProperty("type", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            errors.Add(prefix + "type", $"The type is required: one of {allowed}.");
            return null;
        }

        if (value.ValueKind == JsonValueKind.String && ActivityTypes.TryParse(StringOrNull(value), out var type)) return type;
        errors.Add(prefix + "type", $"Unknown event type {Quote(value)}: use one of {allowed}.");
        return null;
    }

    private string? Identifier(JsonElement item, string name, string prefix, bool required)
    {
        var value = Text(item, name, prefix, MaxIdLength, required);
        if (value is null) return null;
        var (space, format) = (false, false);
        foreach (var c in value)
        {
            space |= char.IsWhiteSpace(c);
            format |= char.GetUnicodeCategory(c) == UnicodeCategory.Format;
        }

        if (space)
        {
            errors.Add(prefix + name, $"The {name} must not contain spaces.");
            return null;
        }

        if (format)
        {
            errors.Add(prefix + name, $"The {name} must be printable: it contains invisible formatting characters.");
            return null;
        }

        return value;
    }

    private DateTimeOffset OccurredAt(JsonElement item, string prefix)
    {
        var text = Text(item, "occurredAt", prefix, 64);
        if (text is null) return now;
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at)
            || !HasOffset(text))
        {
            errors.Add(prefix + "occurredAt", "The occurredAt must be an ISO 8601 date and time with an offset, such as 2026-11-22T11:00:00Z.");
            return now;
        }

        if (at > now + MaxFutureSkew)
            errors.Add(prefix + "occurredAt", "The occurredAt is more than 5 minutes in the future; check the storefront's clock.");
        else if (at < now - TimeSpan.FromMinutes(options.MaxEventAgeMinutes))
            errors.Add(prefix + "occurredAt", $"The occurredAt is older than {options.MaxEventAgeMinutes} minutes; such events are not accepted.");
        return at.ToUniversalTime();
    }

    private static bool HasOffset(string text) =>
        text.EndsWith('Z') || text.EndsWith('z') || (text.Length > 6 && text[^6] is '+' or '-' && text[^3] == ':');

    private string? Url(JsonElement item, string prefix)
    {
        var text = Text(item, "url", prefix, MaxUrlLength);
        if (text is null) return null;
        if (text.AsSpan().ContainsAny(WhiteSpace) || HasWhiteSpace(text))
        {
            errors.Add(prefix + "url", "The url must not contain spaces; percent-encode them.");
            return null;
        }

        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
            return text;
        errors.Add(prefix + "url", "The url must be an absolute http or https URL.");
        return null;
    }

    private CustomerProfile? Customer(JsonElement item, string prefix, bool required)
    {
        if (!item.TryGetProperty("customer", out var customer) || customer.ValueKind == JsonValueKind.Null)
        {
            if (required) errors.Add(prefix + "customer", "A customer (with at least an id) is required for login and register events.");
            return null;
        }

        if (customer.ValueKind != JsonValueKind.Object)
        {
            errors.Add(prefix + "customer", "The customer must be an object.");
            return null;
        }

        var path = prefix + "customer.";
        RejectRepeatedNames(customer, path);
        long? id = null;
        if (!customer.TryGetProperty("id", out var idValue) || idValue.ValueKind == JsonValueKind.Null)
            errors.Add(path + "id", "The customer id is required.");
        else if (idValue.ValueKind != JsonValueKind.Number || !idValue.TryGetInt64(out var parsed) || parsed <= 0)
            errors.Add(path + "id", "The customer id must be a whole number greater than 0.");
        else id = parsed;

        var first = Text(customer, "firstName", path, MaxNameLength);
        var last = Text(customer, "lastName", path, MaxNameLength);
        var company = Text(customer, "company", path, MaxNameLength);
        var email = Text(customer, "email", path, MaxEmailLength);
        if (email is not null && !IsEmail(email))
        {
            errors.Add(path + "email", "The email is not a valid address.");
            email = null;
        }

        return id is null ? null : new CustomerProfile(id.Value, first, last, email, company);
    }

    private static bool IsEmail(string email) =>
        MailAddress.TryCreate(email, out var address) && address.Address == email && email.Contains('.', StringComparison.Ordinal);

    private CartLine? Item(JsonElement item, string prefix, ActivityType? type)
    {
        var isCart = type?.IsCartChange() == true;
        if (!item.TryGetProperty("item", out var line) || line.ValueKind == JsonValueKind.Null)
        {
            if (isCart) errors.Add(prefix + "item", "Cart events need an item with a sku and a qty.");
            return null;
        }

        if (line.ValueKind != JsonValueKind.Object)
        {
            errors.Add(prefix + "item", "The item must be an object.");
            return null;
        }

        var path = prefix + "item.";
        RejectRepeatedNames(line, path);
        var sku = Text(line, "sku", path, MaxSkuLength, required: true);
        var name = Text(line, "name", path, MaxNameLength);
        var minimum = type == ActivityType.CartAdd ? 1 : 0;
        int qty = type == ActivityType.CartRemove ? 0 : minimum;
        if (line.TryGetProperty("qty", out var qtyValue) && qtyValue.ValueKind != JsonValueKind.Null)
        {
            if (qtyValue.ValueKind != JsonValueKind.Number || !qtyValue.TryGetInt32(out qty) || qty < minimum || qty > MaxQty)
            {
                errors.Add(path + "qty", $"The qty must be a whole number from {minimum} to {MaxQty}.");
                return null;
            }
        }
        else if (type is ActivityType.CartAdd or ActivityType.CartUpdate)
        {
            errors.Add(path + "qty", $"The qty is required for {type.Value.ToWireName()} events.");
            return null;
        }

        return sku is null ? null : new CartLine(sku, name, qty);
    }

    private string? Text(JsonElement item, string name, string prefix, int maxLength, bool required = false)
    {
        if (!item.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required) errors.Add(prefix + name, $"The {name} is required.");
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            errors.Add(prefix + name, $"The {name} must be a string.");
            return null;
        }

        if (StringOrNull(value) is not { } text)
        {
            errors.Add(prefix + name, $"The {name} contains broken unicode (a lone surrogate escape).");
            return null;
        }

        if (text.Length == 0 || string.IsNullOrWhiteSpace(text))
        {
            if (required) errors.Add(prefix + name, $"The {name} must not be empty.");
            return null;
        }

        if (text.Length > maxLength)
        {
            errors.Add(prefix + name, $"The {name} is {text.Length} characters long; at most {maxLength} are allowed.");
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
            errors.Add(prefix + name, $"The {name} contains control characters or broken unicode.");
            return null;
        }

        if (overrides)
        {
            errors.Add(prefix + name, $"The {name} contains text-direction override characters, which can disguise what it shows.");
            return null;
        }

        return text;
    }

    // Embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) reorder what an admin reads; marks (U+200E/F) stay allowed.
    private static bool IsDirectionOverride(char c) => c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069';

    // A repeated name is ambiguous (which one wins differs between parsers), so it is refused rather than guessed.
    // Objects have a handful of properties: a list compared pairwise is cheaper than a hash set per object.
    private void RejectRepeatedNames(JsonElement item, string prefix)
    {
        var seen = _names;
        seen.Clear();
        foreach (var property in item.EnumerateObject())
        {
            string name;
            try
            {
                name = property.Name;
            }
            catch (InvalidOperationException)
            {
                errors.Add(prefix.Length == 0 ? "body" : prefix.TrimEnd('.'), "A property name contains broken unicode (a lone surrogate escape).");
                continue;
            }

            var before = Occurrences(seen, name);
            seen.Add(name);
            if (before == 1) errors.Add(prefix + Truncate(name), $"The property '{Truncate(name)}' appears more than once.");
        }
    }

    private static int Occurrences(List<string> names, string name)
    {
        var count = 0;
        foreach (var seen in names)
            if (string.Equals(seen, name, StringComparison.Ordinal)) count++;
        return count;
    }

    // ASCII white space, searched vectorised; other Unicode white space is rare and checked only when non-ASCII is present.
    private static readonly System.Buffers.SearchValues<char> WhiteSpace = System.Buffers.SearchValues.Create(" \t\n\v\f\r\u0085\u00A0");

    private static bool HasWhiteSpace(string text)
    {
        foreach (var c in text)
            if (c > '\u00A0' && char.IsWhiteSpace(c)) return true;
        return false;
    }

    private static string Quote(JsonElement value) =>
        value.ValueKind == JsonValueKind.String ? $"'{Truncate(StringOrNull(value) ?? "?")}'" : value.ValueKind.ToString().ToLowerInvariant();

    // GetString throws on escapes that decode to invalid UTF-16 (a lone "\ud800"); that is bad input, not a server fault.
    private static string? StringOrNull(JsonElement value)
    {
        try
        {
            return value.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static string Truncate(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
