using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using NowOnline.Core.Ingestion;
using NowOnline.Core.Persistence;
using NowOnline.Core.Presence;
using NowOnline.Tests.Support;

namespace NowOnline.Tests.Persistence;

/// <summary>
/// The state checkpoint is written in slices between commits, so a crash can fall between two slices of a pass: some
/// state rows then reflect a later log position than the checkpoint mark. A restart must rebuild exactly the state that
/// every logged event gives, losing nothing and applying nothing twice (a cart add counted twice shows as a quantity).
/// Real SQLite file, the writer's own statements, the start-up loader; random storefront traffic with sign-ins, sign-outs
/// and carts, cut at every kind of point.
/// </summary>
public sealed class CheckpointSliceTests : IDisposable
{
    private static readonly DateTimeOffset At = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private static readonly string[] SessionIds = ["v-0", "v-1", "v-2", "v-3", "v-4"];
    private static readonly CustomerProfile[] Profiles =
    [
        new(42, "Ada", "Lovelace", "ada@example.com", "Analytical Ltd"),
        new(43, "Grace", "Hopper", "grace@example.com", "Cobol Systems"),
    ];

    private readonly CoreDatabase _database = new();

    public static TheoryData<int> Seeds() => new(Enumerable.Range(1, 24));

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _database.Dispose();
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task Restart_after_a_pass_cut_between_slices_rebuilds_exactly_the_logged_state(int seed)
    {
        var clock = new FakeClock(At.AddHours(1));
        var live = Tracker(clock);
        var random = new Random(seed);
        var occurred = At;
        await using (var connection = await _database.Sqlite.OpenAsync())
        using (var writer = new ActivityLogWriter(connection))
        {
            ActivityLogCheckpointPass? pass = null;
            for (var step = 0; step < 400; step++)
            {
                var batch = Enumerable.Range(0, random.Next(1, 4)).Select(_ => NextEvent(random, occurred = occurred.AddSeconds(1))).ToList();
                var sequences = writer.Append(StoredEvent.Encode(batch), clock.GetUtcNow());
                live.Apply(batch, sequences.Max());

                if (pass is null && random.Next(4) == 0) pass = Begin(writer, live);
                else if (pass is not null && random.Next(30) == 0)
                {
                    // A slice failed: the ingestor gives the whole pass back and a later pass writes it again.
                    pass.Rows.GiveBack();
                    pass = null;
                }
                else if (pass is not null && writer.WriteSlice(pass, rows: random.Next(1, 4))) pass = null;
            }

            // The crash, during a pass: what its first slices wrote stays, the rest is lost with the process.
            pass ??= Begin(writer, live);
            for (var slice = random.Next(0, 16); slice > 0 && !pass.Done; slice--) writer.WriteSlice(pass, rows: 1);
        }

        SqliteConnection.ClearAllPools();
        var restarted = Tracker(clock);
        await using (var connection = await _database.Sqlite.OpenAsync())
            await PresenceStateLoader.LoadAsync(connection, restarted, new PresenceOptions(), CancellationToken.None);

        Assert.Equal(Describe(live), Describe(restarted));
    }

    [Fact]
    public async Task Rows_written_after_the_mark_are_not_replayed_over_themselves()
    {
        var clock = new FakeClock(At.AddHours(1));
        var live = Tracker(clock);
        await using (var connection = await _database.Sqlite.OpenAsync())
        using (var writer = new ActivityLogWriter(connection))
        {
            void Post(params ActivityEvent[] events) => live.Apply(events, writer.Append(StoredEvent.Encode(events), At).Max());

            Post(Events.CartAdd("v-1", At, "A", 2), Events.CartAdd("v-2", At, "B", 1));
            writer.WriteCheckpoint(live.TakeCheckpoint());
            Post(Events.CartAdd("v-1", At.AddSeconds(1), "A", 1), Events.Login("v-2", At.AddSeconds(1), Profiles[0]),
                Events.CartAdd("v-2", At.AddSeconds(2), "C", 5));
            var pass = Begin(writer, live);
            // The customer's cart and v-1's cart: then the crash, before the visitor cart, the profile and the sessions.
            Assert.False(writer.WriteSlice(pass, rows: 5));
            Post(Events.CartAdd("v-1", At.AddSeconds(3), "A", 1));
        }

        SqliteConnection.ClearAllPools();
        var restarted = Tracker(clock);
        await using (var connection = await _database.Sqlite.OpenAsync())
            await PresenceStateLoader.LoadAsync(connection, restarted, new PresenceOptions(), CancellationToken.None);

        Assert.Equal([new CartLine("A", "Water bottle", 4)], restarted.GetCart(null, "v-1"));
        Assert.Equal(["B:1", "C:5"], restarted.GetCart(42).Select(l => $"{l.Sku}:{l.Qty}"));
        Assert.Empty(restarted.GetCart(null, "v-2"));
        Assert.Equal(Describe(live), Describe(restarted));
    }

    [Fact]
    public async Task Cart_emptied_by_one_of_two_sessions_of_a_customer_stays_empty_when_the_cut_falls_between_their_rows()
    {
        var clock = new FakeClock(At.AddHours(1));
        var live = Tracker(clock);
        await using (var connection = await _database.Sqlite.OpenAsync())
        using (var writer = new ActivityLogWriter(connection))
        {
            void Post(params ActivityEvent[] events) => live.Apply(events, writer.Append(StoredEvent.Encode(events), At).Max());

            Post(Events.Login("v-1", At, Profiles[0]), Events.Login("v-2", At, Profiles[0]), Events.CartAdd("v-1", At.AddSeconds(1), "A"));
            writer.WriteCheckpoint(live.TakeCheckpoint());
            Post(Events.CartAdd("v-2", At.AddSeconds(2), "A"), Events.CartRemove("v-1", At.AddSeconds(3), "A"));
            var pass = Begin(writer, live);
            // The emptied cart (no row left) and v-1's row; the crash comes before v-2's row.
            Assert.False(writer.WriteSlice(pass, rows: 2));
        }

        SqliteConnection.ClearAllPools();
        var restarted = Tracker(clock);
        await using (var connection = await _database.Sqlite.OpenAsync())
            await PresenceStateLoader.LoadAsync(connection, restarted, new PresenceOptions(), CancellationToken.None);

        Assert.Empty(live.GetCart(42));
        Assert.Empty(restarted.GetCart(42));
        Assert.Equal(Describe(live), Describe(restarted));
    }

    [Fact]
    public async Task Restart_after_ten_seconds_of_traffic_since_the_mark_rebuilds_the_state_and_keeps_every_logged_id_a_duplicate()
    {
        // A long tail of log after the mark (a checkpoint written less often than every second, or one that kept failing),
        // some of it under a pass cut between slices: the restart replays it, and the ids set since the mark is read back.
        var clock = new FakeClock(At.AddHours(1));
        var live = Tracker(clock);
        var random = new Random(10);
        var occurred = At;
        var ids = new List<string>();
        await using (var connection = await _database.Sqlite.OpenAsync())
        using (var writer = new ActivityLogWriter(connection))
        {
            ActivityLogCheckpointPass? pass = null;
            var groups = (int)(TimeSpan.FromSeconds(10) / TimeSpan.FromMilliseconds(20));
            for (var group = 0; group < groups; group++)
            {
                clock.Advance(TimeSpan.FromMilliseconds(20));
                var batch = Enumerable.Range(0, 3).Select(i => NextEvent(random, occurred = occurred.AddMilliseconds(5)) with { EventId = $"t-{group}-{i}" }).ToList();
                ids.AddRange(batch.Select(e => e.EventId!));
                var sequences = writer.Append(StoredEvent.Encode(batch), clock.GetUtcNow());
                live.Apply(batch, sequences.Max());
                if (group == 10) writer.WriteCheckpoint(live.TakeCheckpoint());
                if (group == groups / 2) pass = Begin(writer, live);
                if (pass is not null && group % 50 == 0) Assert.False(writer.WriteSlice(pass, rows: 1));
            }
        }

        SqliteConnection.ClearAllPools();
        var restarted = Tracker(clock);
        long[] again;
        await using (var connection = await _database.Sqlite.OpenAsync())
        {
            await PresenceStateLoader.LoadAsync(connection, restarted, new PresenceOptions(), CancellationToken.None);
            using var writer = new ActivityLogWriter(connection);
            var repeats = ids.Select(id => Events.PageView("v-0", occurred) with { EventId = id }).Append(Events.PageView("v-0", occurred) with { EventId = "t-new" });
            again = writer.Append(StoredEvent.Encode(repeats.ToArray()), clock.GetUtcNow());
        }

        Assert.Equal(Describe(live), Describe(restarted));
        Assert.All(again[..^1], sequence => Assert.Equal(0, sequence));
        Assert.True(again[^1] > 0);
    }

    [Fact]
    public async Task A_slice_is_committed_without_its_own_sync_and_the_writer_is_back_to_full_sync_after_it_even_when_it_fails()
    {
        var clock = new FakeClock(At.AddHours(1));
        var live = Tracker(clock);
        await using var connection = await _database.Sqlite.OpenAsync();
        using var writer = new ActivityLogWriter(connection);
        ActivityEvent[] first = [Events.CartAdd("v-1", At, "A")];
        live.Apply(first, writer.Append(StoredEvent.Encode(first), At).Max());

        var during = new List<long>();
        var pass = Begin(writer, live);
        Assert.True(writer.WriteSlice(writer.BeginCheckpoint(new ObservedPass(pass.Rows, () => during.Add(Synchronous(connection))))));
        Assert.Equal([1L], during); // NORMAL while the slice is written
        Assert.Equal(2, Synchronous(connection)); // FULL again: event commits stay durable

        var failing = new ObservedPass(Begin(writer, live).Rows, () => throw new InvalidOperationException("capture failed"));
        Assert.Throws<InvalidOperationException>(() => writer.WriteSlice(writer.BeginCheckpoint(failing)));
        Assert.Equal(2, Synchronous(connection));
        ActivityEvent[] next = [Events.CartAdd("v-2", At, "B")];
        Assert.True(writer.Append(StoredEvent.Encode(next), At).Single() > 0); // no transaction was left open
    }

    private static long Synchronous(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA synchronous";
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>A pass that runs <paramref name="onCapture"/> each time the writer asks for a slice's rows.</summary>
    private sealed class ObservedPass(CheckpointPass inner, Action onCapture) : CheckpointPass
    {
        public override long Sequence => inner.Sequence;
        public override bool IsEmpty => inner.IsEmpty;
        public override bool Ready => inner.Ready;
        public override bool Captured => inner.Captured;
        public override void WaitReady() => inner.WaitReady();

        public override void CaptureNext(int rows, CheckpointSlice slice)
        {
            onCapture();
            inner.CaptureNext(rows, slice);
        }

        public override void GiveBack() => inner.GiveBack();
    }

    /// <summary>A pass as the ingestor starts one (captured lazily, copy-on-write), once its rows are in order.</summary>
    private static ActivityLogCheckpointPass Begin(ActivityLogWriter writer, PresenceTracker live)
    {
        var pass = writer.BeginCheckpoint(live.BeginCheckpointPass());
        pass.Rows.WaitReady();
        return pass;
    }

    private static PresenceTracker Tracker(TimeProvider clock) => new(clock, Options.Create(new PresenceOptions()));

    private static ActivityEvent NextEvent(Random random, DateTimeOffset at)
    {
        var session = SessionIds[random.Next(SessionIds.Length)];
        var sku = "SKU-" + random.Next(3);
        return random.Next(10) switch
        {
            0 => Events.Login(session, at, Profiles[random.Next(Profiles.Length)]),
            1 => Events.Logout(session, at),
            2 => Events.CartRemove(session, at, sku),
            3 => new ActivityEvent(null, ActivityType.CartRemove, session, at, Item: new CartLine(sku, null, random.Next(1, 3))),
            4 => new ActivityEvent(null, ActivityType.CartUpdate, session, at, Item: new CartLine(sku, "Updated", random.Next(0, 4))),
            5 => Events.PageView(session, at),
            _ => Events.CartAdd(session, at, sku, random.Next(1, 4)),
        };
    }

    /// <summary>Everything a reader can see of the tracker's state, as text.</summary>
    private static List<string> Describe(PresenceTracker tracker)
    {
        var lines = new List<string>();
        foreach (var id in SessionIds)
        {
            var session = tracker.GetSession(id);
            lines.Add($"{id}: {session?.Online} {session?.CustomerId} {session?.LastActivity:O} {session?.Type}");
            lines.Add($"{id} cart: " + string.Join(", ", tracker.GetCart(null, id).Select(l => $"{l.Sku}x{l.Qty} {l.Name}")));
        }

        foreach (var profile in Profiles)
        {
            lines.Add($"{profile.Id}: {tracker.GetCustomer(profile.Id)}");
            lines.Add($"{profile.Id} cart: " + string.Join(", ", tracker.GetCart(profile.Id).Select(l => $"{l.Sku}x{l.Qty} {l.Name}")));
        }

        return lines;
    }
}
