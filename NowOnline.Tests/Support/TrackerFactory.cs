using Microsoft.Extensions.Options;
using NowOnline.Core.Presence;

namespace NowOnline.Tests.Support;

public static class TrackerFactory
{
    public static PresenceTracker Create(TimeProvider clock, params string[] ignoredUserAgents) =>
        new(clock, Options.Create(new PresenceOptions { IgnoredUserAgents = ignoredUserAgents }));
}
