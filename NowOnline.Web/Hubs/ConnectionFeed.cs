using Microsoft.AspNetCore.SignalR;
using NowOnline.Core.Presence;
using NowOnline.Web.Api.Online;

namespace NowOnline.Web.Hubs;

/// <summary>
/// One hub connection's subscription: its filter, the rows its client holds, and the changes not yet
/// sent, coalesced per row (latest state wins). Both sets are bounded by the number of online rows, so
/// a client that reads slowly costs memory, never a queue that grows with the event rate.
/// </summary>
internal sealed class ConnectionFeed(HubCallerContext connection, IPresenceClient client, TimeSpan sendTimeout, TimeProvider clock, ILogger logger)
{
    private readonly object _gate = new();
    // One message in flight per connection: a State and the Diffs that follow it go out in order, and a
    // Diff is only computed when the previous one has been taken by the transport.
    private readonly SemaphoreSlim _sending = new(1, 1);
    private Dictionary<string, OnlineRow?> _pending = new(StringComparer.Ordinal);
    private readonly HashSet<string> _held = new(StringComparer.Ordinal);
    private OnlineQuery? _query;
    private long _version;
    private bool _closed;

    public string ConnectionId => connection.ConnectionId;

    public bool HasPending
    {
        get { lock (_gate) return _pending.Count > 0 && !_closed; }
    }

    /// <summary>Takes a batch of the tracker's changes. Called by the relay under its lock, in feed order.</summary>
    public void Offer(IReadOnlyList<RowChange> changes)
    {
        lock (_gate)
        {
            if (_query is null || _closed) return;
            foreach (var change in changes)
            {
                // Keep a change only when the client may care: the row matches, or the client holds it
                // (it may have to be removed), or an earlier pending change of it must be overwritten.
                if ((change.Row is { } row && _query.Matches(row)) || _held.Contains(change.Key) || _pending.ContainsKey(change.Key))
                    _pending[change.Key] = change.Row;
            }
        }
    }

    /// <summary>Waits for this connection's turn to send; the caller must <see cref="EndSend"/>.</summary>
    public Task BeginSendAsync(CancellationToken cancellationToken) => _sending.WaitAsync(cancellationToken);

    public void EndSend() => _sending.Release();

    /// <summary>Starts a new subscription from <paramref name="rows"/>. Call between Begin/EndSend, under the relay's lock.</summary>
    public long Restart(OnlineQuery? query, IEnumerable<string> rows)
    {
        lock (_gate)
        {
            _query = _closed ? null : query;
            _pending = new Dictionary<string, OnlineRow?>(StringComparer.Ordinal);
            _held.Clear();
            _held.UnionWith(rows);
            _version = 1;
            return _version;
        }
    }

    /// <summary>Closes the connection itself; the client must reconnect and subscribe again.</summary>
    public void Abort()
    {
        Close();
        connection.Abort();
    }

    public void Close()
    {
        lock (_gate)
        {
            _closed = true;
            _query = null;
            _pending = new Dictionary<string, OnlineRow?>(StringComparer.Ordinal);
            _held.Clear();
        }
    }

    public Task SendStateAsync(IReadOnlyList<OnlineRowReply> rows, long version) => DeliverAsync(() => client.State(rows, version), "State");

    /// <summary>Sends what is pending as one Diff, unless the previous message is still on its way.</summary>
    public async Task FlushAsync()
    {
        if (!_sending.Wait(0)) return;
        try
        {
            List<OnlineRowReply> upserts = [];
            List<string> removals = [];
            long version;
            lock (_gate)
            {
                if (_query is null || _closed || _pending.Count == 0) return;
                var pending = _pending;
                _pending = new Dictionary<string, OnlineRow?>(StringComparer.Ordinal);
                foreach (var (key, row) in pending)
                {
                    if (row is not null && _query.Matches(row))
                    {
                        upserts.Add(OnlineRowReply.From(row));
                        _held.Add(key);
                    }
                    else if (_held.Remove(key))
                    {
                        removals.Add(key);
                    }
                }

                if (upserts.Count == 0 && removals.Count == 0) return;
                version = ++_version;
            }

            await DeliverAsync(() => client.Diff(upserts, removals, version), "Diff");
        }
        finally
        {
            _sending.Release();
        }
    }

    private async Task DeliverAsync(Func<Task> send, string message)
    {
        try
        {
            await send().WaitAsync(sendTimeout, clock);
        }
        catch (TimeoutException)
        {
            // The client stopped reading and SignalR's send buffer is full. Waiting longer would only keep
            // this connection's memory alive; close it, the client reconnects and subscribes again.
            Close();
            logger.LogWarning("Presence hub connection {ConnectionId} took no {Message} for {Timeout}; closing it.",
                connection.ConnectionId, message, sendTimeout);
            connection.Abort();
        }
        catch (Exception ex)
        {
            // The client will see a gap in the versions and subscribe again.
            logger.LogWarning(ex, "Presence hub connection {ConnectionId}: {Message} not sent.", connection.ConnectionId, message);
        }
    }
}
