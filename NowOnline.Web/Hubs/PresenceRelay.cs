using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using NowOnline.Core.Presence;
using NowOnline.Web.Api.Online;

namespace NowOnline.Web.Hubs;

/// <summary>
/// Carries the tracker's change feed to the presence hub. It holds ONE tracker subscription, whatever the
/// number of hub clients, so ingestion's cost does not grow with them, and only while at least one client is
/// subscribed: with none, ingestion builds no rows for it and the relay keeps no copy of the list (that copy,
/// a new row object per change kept in a long-lived table, was about an eighth of the garbage per event under wrk;
/// "Garbage per event" in bench/performance-notes.md). While subscribed it keeps a copy of the online rows (for
/// each new subscriber's <c>State</c>) and fans each batch of changes out to every connection's
/// <see cref="ConnectionFeed"/>, which coalesces per row. A timer then sends each connection at most one
/// <c>Diff</c> per <see cref="PresenceHubOptions.FlushIntervalMilliseconds"/>, each connection on its own,
/// so a slow one never holds up the others.
/// </summary>
public sealed class PresenceRelay(
    PresenceTracker tracker,
    IHubContext<PresenceHub, IPresenceClient> hub,
    IOptions<PresenceHubOptions> options,
    TimeProvider clock,
    ILogger<PresenceRelay> logger) : BackgroundService
{
    private readonly object _gate = new();
    private readonly Dictionary<string, OnlineRow> _rows = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ConnectionFeed> _feeds = new(StringComparer.Ordinal);
    private ConnectionFeed[] _feedList = [];
    private PresenceSubscription? _subscription; // while at least one connection has a feed
    private CancellationToken _stopping = new(canceled: true); // the host's, once started

    /// <summary>Connections with a live subscription (for tests and diagnostics).</summary>
    public int ConnectionCount
    {
        get { lock (_gate) return _feeds.Count; }
    }

    // On the thread pool: the host may be started from a thread with a synchronization context (a test
    // runner's), and the fan-out must not queue behind whatever else runs there.
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        lock (_gate) _stopping = stoppingToken;
        await Task.Run(() => FlushOnTimerAsync(stoppingToken), CancellationToken.None);
        lock (_gate) StopRelay();
    }

    /// <summary>Starts (or restarts) the connection's subscription and sends it the matching rows as <c>State</c>.</summary>
    internal async Task SubscribeAsync(HubCallerContext connection, OnlineQuery query)
    {
        var feed = FeedOf(connection);
        await feed.BeginSendAsync(connection.ConnectionAborted);
        try
        {
            List<OnlineRow> rows;
            long version;
            lock (_gate)
            {
                rows = _rows.Values.Where(query.Matches).ToList();
                version = feed.Restart(query, rows.Select(r => r.Key));
            }

            rows.Sort(NewestFirst);
            await feed.SendStateAsync(rows.Select(OnlineRowReply.From).ToList(), version);
        }
        finally
        {
            feed.EndSend();
        }
    }

    /// <summary>Ends the connection's subscription; once this returns, nothing more is sent to it.</summary>
    internal async Task UnsubscribeAsync(string connectionId)
    {
        ConnectionFeed? feed;
        lock (_gate) feed = _feeds.GetValueOrDefault(connectionId);
        if (feed is null) return;
        await feed.BeginSendAsync(CancellationToken.None);
        try
        {
            Remove(connectionId);
        }
        finally
        {
            feed.EndSend();
        }
    }

    /// <summary>Forgets a connection (on disconnect).</summary>
    internal void Remove(string connectionId)
    {
        lock (_gate)
        {
            if (!_feeds.Remove(connectionId, out var feed)) return;
            feed.Close();
            _feedList = [.. _feeds.Values];
            if (_feeds.Count == 0) StopRelay();
        }
    }

    /// <summary>Subscribes to the tracker for the first connection (under the gate): the copy starts from its initial rows.</summary>
    private void StartRelay()
    {
        var subscription = tracker.Subscribe();
        foreach (var row in subscription.InitialRows) _rows[row.Key] = row;
        _subscription = subscription;
        var stopping = _stopping;
        _ = Task.Run(() => RelayChangesAsync(subscription, stopping), CancellationToken.None);
    }

    /// <summary>Ends the subscription once no connection is left, or at shutdown (under the gate), and drops the copy.</summary>
    private void StopRelay()
    {
        _subscription?.Dispose();
        _subscription = null;
        _rows.Clear();
        _rows.TrimExcess();
    }

    private ConnectionFeed FeedOf(HubCallerContext connection)
    {
        lock (_gate)
        {
            if (_stopping.IsCancellationRequested) throw new HubException("The presence feed is not running; try again in a moment.");
            if (_feeds.TryGetValue(connection.ConnectionId, out var feed)) return feed;
            if (_subscription is null) StartRelay();
            feed = new ConnectionFeed(connection, hub.Clients.Client(connection.ConnectionId),
                TimeSpan.FromSeconds(options.Value.SendTimeoutSeconds), clock, logger);
            _feeds.Add(connection.ConnectionId, feed);
            _feedList = [.. _feeds.Values];
            return feed;
        }
    }

    private async Task RelayChangesAsync(PresenceSubscription subscription, CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var changes = await subscription.ReadAsync(stoppingToken);
                lock (_gate)
                {
                    // Ended (the last connection left, or shutdown): a later subscription has a copy of its own.
                    if (!ReferenceEquals(subscription, _subscription)) return;
                    foreach (var change in changes)
                    {
                        if (change.Row is null) _rows.Remove(change.Key);
                        else _rows[change.Key] = change.Row;
                    }

                    foreach (var feed in _feedList)
                    {
                        try
                        {
                            feed.Offer(changes);
                        }
                        catch (Exception ex)
                        {
                            // One connection's trouble must not stop the feed for everyone: drop that connection.
                            logger.LogError(ex, "Presence hub connection {ConnectionId} could not take changes; closing it.", feed.ConnectionId);
                            feed.Abort();
                        }
                    }
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or System.Threading.Channels.ChannelClosedException)
        {
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "The presence hub's relay stopped; connected clients receive no more changes.");
            // Nobody reads it any more: the tracker must stop building rows for it. Once the last client has left,
            // the next one starts a new subscription.
            subscription.Dispose();
        }
    }

    private async Task FlushOnTimerAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(options.Value.FlushIntervalMilliseconds), clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                ConnectionFeed[] feeds;
                lock (_gate) feeds = _feedList;
                foreach (var feed in feeds)
                    if (feed.HasPending) _ = Task.Run(feed.FlushAsync, CancellationToken.None);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static int NewestFirst(OnlineRow a, OnlineRow b)
    {
        var byActivity = b.LastActivity.CompareTo(a.LastActivity);
        return byActivity != 0 ? byActivity : string.CompareOrdinal(a.Key, b.Key);
    }
}
