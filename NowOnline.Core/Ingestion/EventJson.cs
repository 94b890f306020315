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
}
