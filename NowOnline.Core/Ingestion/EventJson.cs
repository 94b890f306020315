using System.Text.Json;
using System.Text.Json.Serialization;
using NowOnline.Core.Presence;

namespace NowOnline.Core.Ingestion;

/// <summary>How events are written into the durable log.</summary>
public static class EventJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string Serialize(ActivityEvent activity) => JsonSerializer.Serialize(activity, Options);

    public static ActivityEvent Deserialize(string payload) =>
        JsonSerializer.Deserialize<ActivityEvent>(payload, Options)
        ?? throw new InvalidDataException("Empty event payload in the activity log.");

    /// <summary>
    /// Writes the same bytes as <see cref="Serialize"/> (camelCase names in declaration order, nulls left out, the type by
    /// its enum name), by hand: the serializer's metadata walk (JsonSerializer OnTryWrite, StoredEvent.Encode) took about
    /// 1 % of the app's CPU under wrk in bench/performance-notes.md's profile of issue 14. EventJsonTests pins the equality.
    /// </summary>
    public static void Write(Utf8JsonWriter writer, ActivityEvent activity)
    {
        writer.WriteStartObject();
        if (activity.EventId is { } eventId) writer.WriteString(Names.EventId, eventId);
        writer.WriteString(Names.Type, TypeNames[(int)activity.Type]);
        writer.WriteString(Names.SessionId, activity.SessionId);
        writer.WriteString(Names.OccurredAt, activity.OccurredAt);
        if (activity.Customer is { } customer)
        {
            writer.WriteStartObject(Names.Customer);
            writer.WriteNumber(Names.Id, customer.Id);
            WriteIfSet(writer, Names.FirstName, customer.FirstName);
            WriteIfSet(writer, Names.LastName, customer.LastName);
            WriteIfSet(writer, Names.Email, customer.Email);
            WriteIfSet(writer, Names.Company, customer.Company);
            writer.WriteEndObject();
        }

        WriteIfSet(writer, Names.Url, activity.Url);
        if (activity.Item is { } item)
        {
            writer.WriteStartObject(Names.Item);
            writer.WriteString(Names.Sku, item.Sku);
            WriteIfSet(writer, Names.Name, item.Name);
            writer.WriteNumber(Names.Qty, item.Qty);
            writer.WriteEndObject();
        }

        WriteIfSet(writer, Names.Store, activity.Store);
        WriteIfSet(writer, Names.UserAgent, activity.UserAgent);
        writer.WriteEndObject();
    }

    private static void WriteIfSet(Utf8JsonWriter writer, JsonEncodedText name, string? value)
    {
        if (value is not null) writer.WriteString(name, value);
    }

    private static readonly JsonEncodedText[] TypeNames =
        Enum.GetValues<ActivityType>().Select(type => JsonEncodedText.Encode(type.ToString())).ToArray();

    private static class Names
    {
        public static readonly JsonEncodedText EventId = JsonEncodedText.Encode("eventId");
        public static readonly JsonEncodedText Type = JsonEncodedText.Encode("type");
        public static readonly JsonEncodedText SessionId = JsonEncodedText.Encode("sessionId");
        public static readonly JsonEncodedText OccurredAt = JsonEncodedText.Encode("occurredAt");
        public static readonly JsonEncodedText Customer = JsonEncodedText.Encode("customer");
        public static readonly JsonEncodedText Id = JsonEncodedText.Encode("id");
        public static readonly JsonEncodedText FirstName = JsonEncodedText.Encode("firstName");
        public static readonly JsonEncodedText LastName = JsonEncodedText.Encode("lastName");
        public static readonly JsonEncodedText Email = JsonEncodedText.Encode("email");
        public static readonly JsonEncodedText Company = JsonEncodedText.Encode("company");
        public static readonly JsonEncodedText Url = JsonEncodedText.Encode("url");
        public static readonly JsonEncodedText Item = JsonEncodedText.Encode("item");
        public static readonly JsonEncodedText Sku = JsonEncodedText.Encode("sku");
        public static readonly JsonEncodedText Name = JsonEncodedText.Encode("name");
        public static readonly JsonEncodedText Qty = JsonEncodedText.Encode("qty");
        public static readonly JsonEncodedText Store = JsonEncodedText.Encode("store");
        public static readonly JsonEncodedText UserAgent = JsonEncodedText.Encode("userAgent");
    }
}
