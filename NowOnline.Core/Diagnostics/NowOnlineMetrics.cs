using System.Diagnostics;
using System.Diagnostics.Metrics;
using NowOnline.Core.Presence;

namespace NowOnline.Core.Diagnostics;

/// <summary>
/// The service's own meter and trace source. Instruments are static so the hot path records with a one-line call and
/// no injected dependency; the OpenTelemetry setup in the web layer subscribes to <see cref="MeterName"/> and
/// <see cref="SourceName"/>. Names follow OpenTelemetry conventions; the Prometheus exporter turns them into the
/// documented <c>nowonline_*</c> series (it appends <c>_total</c> to counters and <c>_seconds</c> for the unit s).
/// </summary>
public static class NowOnlineMetrics
{
    public const string MeterName = "NowOnline";
    public const string SourceName = "NowOnline";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>Traces of commit groups (a span per group, with its event counts).</summary>
    public static readonly ActivitySource Source = new(SourceName);

    private static readonly Counter<long> Accepted = Meter.CreateCounter<long>("nowonline.events.accepted", "{event}",
        "Events stored and applied to the online list.");

    private static readonly Counter<long> Duplicates = Meter.CreateCounter<long>("nowonline.events.duplicate", "{event}",
        "Events whose eventId had already been applied; they changed nothing.");

    private static readonly Counter<long> Ignored = Meter.CreateCounter<long>("nowonline.events.ignored", "{event}",
        "Events dropped because their user agent matches Presence:IgnoredUserAgents (bots).");

    private static readonly Counter<long> Rejected = Meter.CreateCounter<long>("nowonline.events.rejected", "{request}",
        "Activity requests refused (nothing stored), by HTTP status code.");

    private static readonly Counter<long> Expired = Meter.CreateCounter<long>("nowonline.expired.sessions", "{session}",
        "Sessions that left the online list because they were idle for the Online Minutes Interval.");

    private static readonly UpDownCounter<long> HubConnections = Meter.CreateUpDownCounter<long>("nowonline.hub.connections",
        "{connection}", "Open connections to the presence hub.");

    private static readonly Histogram<double> CommitDuration = Meter.CreateHistogram("nowonline.commit.duration", "s",
        "Time to store one commit group durably (from taking it off the queue to handing it to the applier).",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] });

    private static readonly TrackerList Trackers = new();

    static NowOnlineMetrics() => Meter.CreateObservableGauge("nowonline.online.sessions", Trackers.Observe, "{session}",
        "Rows on the online list now, by type (customer or visitor).");

    /// <summary>Makes every counter appear in a scrape at 0 before its first event (dashboards and alerts see the series).</summary>
    public static void Announce()
    {
        Accepted.Add(0);
        Duplicates.Add(0);
        Ignored.Add(0);
        Expired.Add(0);
        HubConnections.Add(0);
    }

    /// <summary>The start of a commit group: pass the value to <see cref="Committed"/> when the group is stored.</summary>
    public static long CommitStarted() => Stopwatch.GetTimestamp();

    /// <summary>
    /// Records a stored commit group: its per-batch counts, its duration, and a span when tracing listens. Once per group,
    /// not per event or request, and without tags or allocation (test <c>Recording_a_commit_group_allocates_nothing</c>),
    /// so metrics add no garbage to the ingestion path (bench/performance-notes.md, "Metrics cost (issue 15)").
    /// </summary>
    public static void Committed(long started, int[] accepted, int[] duplicates, int[] ignored)
    {
        var elapsed = Stopwatch.GetElapsedTime(started);
        int a = Sum(accepted), d = Sum(duplicates), i = Sum(ignored);
        if (a > 0) Accepted.Add(a);
        if (d > 0) Duplicates.Add(d);
        if (i > 0) Ignored.Add(i);
        CommitDuration.Record(elapsed.TotalSeconds);
        Trace(elapsed, accepted.Length, a, d, i, failed: false);
    }

    /// <summary>Records a commit group that storage refused (the span is marked as an error).</summary>
    public static void CommitFailed(long started, int batches)
    {
        var elapsed = Stopwatch.GetElapsedTime(started);
        CommitDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("outcome", "failed"));
        Trace(elapsed, batches, 0, 0, 0, failed: true);
    }

    public static void RequestRejected(int statusCode) =>
        Rejected.Add(1, new KeyValuePair<string, object?>("status_code",
            statusCode is >= 400 and < 600 ? BoxedStatusCodes[statusCode - 400] : statusCode));

    // The tag value is an object: one box per refusal status, made once, so counting a refusal allocates nothing.
    private static readonly object[] BoxedStatusCodes = [.. Enumerable.Range(400, 200).Select(code => (object)code)];

    /// <summary>Counts sessions that expired; returns <paramref name="count"/> so a call can wrap the expiry itself.</summary>
    public static int SessionsExpired(int count)
    {
        if (count > 0) Expired.Add(count);
        return count;
    }

    public static void HubConnected() => HubConnections.Add(1);

    public static void HubDisconnected() => HubConnections.Add(-1);

    /// <summary>Reports this tracker's row counts as <c>nowonline.online.sessions</c> until the returned handle is disposed.</summary>
    public static IDisposable ObserveOnlineSessions(PresenceTracker tracker) => Trackers.Add(tracker);

    // The span is written after the fact, with the measured start, so a commit that returns early leaves no open span
    // behind on the writer thread.
    private static void Trace(TimeSpan elapsed, int batches, int accepted, int duplicates, int ignored, bool failed)
    {
        if (!Source.HasListeners()) return;
        var end = DateTimeOffset.UtcNow;
        using var span = Source.StartActivity("nowonline.commit", ActivityKind.Internal, parentContext: default, startTime: end - elapsed);
        if (span is null) return;
        span.SetTag("nowonline.batches", batches);
        span.SetTag("nowonline.events.accepted", accepted);
        span.SetTag("nowonline.events.duplicate", duplicates);
        span.SetTag("nowonline.events.ignored", ignored);
        if (failed) span.SetStatus(ActivityStatusCode.Error, "storage unavailable");
        span.SetEndTime(end.UtcDateTime);
    }

    private static int Sum(int[] values)
    {
        var sum = 0;
        foreach (var value in values) sum += value;
        return sum;
    }

    /// <summary>The trackers to report (one per app; tests run several apps in one process).</summary>
    private sealed class TrackerList
    {
        private readonly List<PresenceTracker> _trackers = [];

        public IDisposable Add(PresenceTracker tracker)
        {
            lock (_trackers) _trackers.Add(tracker);
            return new Registration(this, tracker);
        }

        public IEnumerable<Measurement<int>> Observe()
        {
            PresenceTracker[] trackers;
            lock (_trackers) trackers = [.. _trackers];
            // One measurement per type: a gauge keeps the last value reported for a label set, so several trackers
            // (only tests run several apps in one process) are added up rather than overwriting each other.
            int customers = 0, visitors = 0;
            foreach (var tracker in trackers)
            {
                var counts = tracker.Counters;
                customers += counts.Customers;
                visitors += counts.Visitors;
            }

            yield return new Measurement<int>(customers, new KeyValuePair<string, object?>("type", "customer"));
            yield return new Measurement<int>(visitors, new KeyValuePair<string, object?>("type", "visitor"));
        }

        private sealed class Registration(TrackerList list, PresenceTracker tracker) : IDisposable
        {
            public void Dispose()
            {
                lock (list._trackers) list._trackers.Remove(tracker);
            }
        }
    }
}
