using NowOnline.Core.Presence;

namespace NowOnline.Tests.Core;

/// <summary>The expiry schedule hands out due sessions earliest first, one entry per session.</summary>
public sealed class ExpiryScheduleTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    private static SessionState Session(string id) => new(id, T0);

    [Fact]
    public void Due_sessions_come_out_earliest_first_and_later_ones_stay()
    {
        var schedule = new ExpirySchedule();
        var (a, b, c) = (Session("a"), Session("b"), Session("c"));
        schedule.Add(b, T0.AddMinutes(2));
        schedule.Add(a, T0.AddMinutes(1));
        schedule.Add(c, T0.AddMinutes(10));

        var due = new List<string>();
        while (schedule.TryTakeDue(T0.AddMinutes(5), out var session)) due.Add(session.SessionId);

        Assert.Equal(["a", "b"], due);
        Assert.Equal(T0.AddMinutes(10), schedule.Next);
        Assert.False(a.Queued);
        Assert.True(c.Queued);
    }

    [Fact]
    public void A_session_already_scheduled_is_not_added_twice()
    {
        var schedule = new ExpirySchedule();
        var session = Session("a");

        schedule.Add(session, T0.AddMinutes(1));
        schedule.Add(session, T0.AddMinutes(3));

        Assert.Equal(1, schedule.Count);
        Assert.Equal(T0.AddMinutes(1), schedule.Next);
    }

    [Fact]
    public void Clearing_the_schedule_lets_every_session_be_added_again()
    {
        var schedule = new ExpirySchedule();
        var sessions = new[] { Session("a"), Session("b") };
        foreach (var s in sessions) schedule.Add(s, T0.AddMinutes(1));

        schedule.Clear(sessions);
        schedule.Add(sessions[0], T0.AddMinutes(7));

        Assert.Equal(1, schedule.Count);
        Assert.Null(new ExpirySchedule().Next);
        Assert.False(schedule.TryTakeDue(T0.AddMinutes(6), out _));
        Assert.True(schedule.TryTakeDue(T0.AddMinutes(7), out var due));
        Assert.Equal("a", due.SessionId);
    }
}
