using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using NowOnline.Core.Presence;
using NowOnline.Web.Api.Online;

namespace NowOnline.Web.Hubs;

/// <summary>
/// Carries the tracker's change feed to the presence hub. It holds ONE tracker subscription, whatever the
/// number of hub clients, so ingestion's cost does not grow with them; it keeps a copy of the online rows
/// (for each new subscriber's <c>State</c>) and fans each batch of changes out to every connection's
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
    private PresenceSubscription? _subscription;

    /// <summary>Connections with a live subscription (for tests and diagnostics).</summary>
    public int ConnectionCount
    {
        get { lock (_gate) return _feeds.Count; }
    }

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // Subscribe before the server takes connections so the first hub subscriber already has the list.
        var subscription = tracker.Subscribe();
        lock (_gate)
        {
            foreach (var row in subscription.InitialRows) _rows[row.Key] = row;
            _subscription = subscription;
        }

        return base.StartAsync(cancellationToken);
    }

    // On the thread pool: the host may be started from a thread with a synchronization context (a test
    // runner's), and the fan-out must not queue behind whatever else runs there.
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.WhenAll(
        Task.Run(() => RelayChangesAsync(_subscription!, stoppingToken), CancellationToken.None),
        Task.Run(() => FlushOnTimerAsync(stoppingToken), CancellationToken.None));

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
        }
    }

    private ConnectionFeed FeedOf(HubCallerContext connection)
    {
        lock (_gate)
        {
            if (_subscription is null) throw new HubException("The presence feed is starting; try again in a moment.");
            if (_feeds.TryGetValue(connection.ConnectionId, out var feed)) return feed;
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
        catch (OperationCanceledException)
        {
        }
        finally
        {
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
