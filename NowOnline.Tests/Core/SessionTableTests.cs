using NowOnline.Core.Presence;
using static NowOnline.Tests.Support.Events;

namespace NowOnline.Tests.Core;

/// <summary>Sessions by id and by handle: found exactly while held, handles reused after a session is forgotten.</summary>
public sealed class SessionTableTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_session_is_found_by_its_id_until_it_is_removed()
    {
        var table = new SessionTable();
        var added = table.Add("s-1", T0);

        Assert.Same(added, table.Find("s-1"));
        Assert.Null(table.Find("s-2"));

        Assert.True(table.Remove(added));
        Assert.Null(table.Find("s-1"));
        Assert.Equal(0, table.Count);
        Assert.False(table.Remove(added), "a session is removed once");
    }

    [Fact]
    public void A_forgotten_sessions_handle_goes_to_the_next_new_session_and_the_old_one_stays_unknown()
    {
        var table = new SessionTable();
        var first = table.Add("s-1", T0);
        table.Add("s-2", T0);

        table.Remove(first);
        var next = table.Add("s-3", T0);

        Assert.Equal(first.Handle, next.Handle);
        Assert.Null(table.Find("s-1"));
        Assert.Same(next, table.Find("s-3"));
        Assert.Equal(["s-2", "s-3"], table.All.Select(s => s.SessionId).Order());
    }

    [Fact]
    public void Many_sessions_added_and_removed_are_all_found_while_held()
    {
        var table = new SessionTable();
        var held = new Dictionary<string, SessionState>();
        for (var i = 0; i < 20_000; i++)
        {
            var id = $"s-{i}";
            held[id] = table.Add(id, T0);
            // Every third session leaves again: the table grows and fills with removed slots at once.
            if (i % 3 == 0)
            {
                Assert.True(table.Remove(held[id]));
                held.Remove(id);
            }
        }

        Assert.Equal(held.Count, table.Count);
        Assert.NotEmpty(held);
        foreach (var (id, session) in held) Assert.Same(session, table.Find(new string(id.AsSpan())));
        Assert.Null(table.Find("s-0"));
        Assert.Equal(held.Count, table.All.Count());
    }

    [Fact]
    public void A_batch_resolves_each_event_to_its_session_or_to_nothing_when_unknown()
    {
        var table = new SessionTable();
        var a = table.Add("a", T0);
        var b = table.Add("b", T0);
        var batch = new[] { CartAdd("b", T0), CartAdd("new", T0), CartAdd("a", T0), CartAdd("b", T0) };
        var handles = new int[batch.Length];

        table.Resolve(batch, handles, new int[batch.Length]);

        Assert.Equal([b, null, a, b], handles.Select(table.At));
        Assert.Equal(-1, handles[1]);
    }

    [Fact]
    public void A_batch_resolves_sessions_whose_first_probe_holds_another_session_or_a_removed_one()
    {
        var table = new SessionTable();
        var held = Enumerable.Range(0, 5_000).Select(i => table.Add($"s-{i}", T0)).ToList();
        foreach (var gone in held.Where((_, i) => i % 2 == 0)) table.Remove(gone);
        // Enough ids that many share a first probe with another one, or land on a removed slot.
        var batch = Enumerable.Range(0, 5_000).Select(i => CartAdd($"s-{i}", T0)).ToArray();
        var handles = new int[batch.Length];

        table.Resolve(batch, handles, new int[batch.Length]);

        for (var i = 0; i < batch.Length; i++) Assert.Same(i % 2 == 0 ? null : held[i], table.At(handles[i]));
    }
}
