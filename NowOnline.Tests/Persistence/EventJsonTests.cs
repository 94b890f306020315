using System.Text;
using NowOnline.Core.Ingestion;
using NowOnline.Core.Presence;
using static NowOnline.Tests.Support.Events;

namespace NowOnline.Tests.Persistence;

/// <summary>The log's payloads are written by hand (StoredEvent.Encode); they must stay what the serializer writes and reads.</summary>
public sealed class EventJsonTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 2, 16, 30, 15, 123, TimeSpan.Zero);

    public static TheoryData<ActivityEvent> Payloads => new()
    {
        Login("s-1", At, eventId: "evt-1") with { UserAgent = "Mozilla/5.0 (X11)" }, // login with every field
        Register("s-2", At, Grace), // register
        Logout("s-3", At), // logout, no event id
        CartAdd("s-4", At, sku: "WB-01", qty: 3), // cart add
        CartRemove("s-5", At), // cart remove, item without a name
        PageView("s-6", At), // page view
        new ActivityEvent(null, ActivityType.Login, "s-7", At, new CustomerProfile(long.MaxValue, null, null, null, null)), // customer with only an id
        new ActivityEvent("e\"1", ActivityType.CartUpdate, "s-<8>&'", At,
            new CustomerProfile(9, "Zoë", "O'Brien \\ \"Q\"", "zoe@example.com", "Ünïcode 🚀 GmbH"),
            "https://shop.example/a?b=1&c=<2>", new CartLine("SKU/1", "Tab\there\nline", 0), "dé", "agent\u2028x"), // text needing escapes
    };

    [Theory]
    [MemberData(nameof(Payloads))]
    public void Stored_payload_is_byte_for_byte_what_the_serializer_writes_and_reads_back_the_same_event(ActivityEvent activity)
    {
        var stored = Assert.Single(StoredEvent.Encode([activity]));

        var payload = Encoding.UTF8.GetString(stored.Payload.Span);
        Assert.Equal(EventJson.Serialize(activity), payload);
        Assert.Equal(activity, EventJson.Deserialize(payload));
    }

    [Fact]
    public void Batch_payloads_are_split_per_event_and_times_kept_to_the_millisecond_in_utc()
    {
        var local = new DateTimeOffset(2026, 12, 2, 17, 30, 15, TimeSpan.FromHours(1)).AddTicks(1234567);
        ActivityEvent[] batch = [Login("s-1", local), CartAdd("s-2", At), PageView("s-3", At)];

        var stored = StoredEvent.Encode(batch);

        Assert.Equal(3, stored.Length);
        var first = EventJson.Deserialize(Encoding.UTF8.GetString(stored[0].Payload.Span));
        Assert.Equal(new DateTimeOffset(2026, 12, 2, 16, 30, 15, 123, TimeSpan.Zero), first.OccurredAt);
        Assert.Equal(TimeSpan.Zero, first.OccurredAt.Offset);
        Assert.Equal(first, stored[0].Event);
        Assert.Equal(batch[1], EventJson.Deserialize(Encoding.UTF8.GetString(stored[1].Payload.Span)));
        Assert.Equal(batch[2], EventJson.Deserialize(Encoding.UTF8.GetString(stored[2].Payload.Span)));
    }
}
