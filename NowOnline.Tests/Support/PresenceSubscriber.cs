using System.Net;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Http.Connections.Client;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Logging;
using NowOnline.Web.Hubs;

namespace NowOnline.Tests.Support;

/// <summary>
/// An outside client of <c>/hubs/presence</c> through the official SignalR .NET client (<see cref="HubConnection"/>):
/// every <c>State</c> and <c>Diff</c> it receives is applied to its <see cref="View"/>.
/// </summary>
public sealed class PresenceSubscriber : IAsyncDisposable
{
    private readonly TaskCompletionSource<Exception?> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private PresenceSubscriber(HubConnection connection, bool keepRowDetails)
    {
        Connection = connection;
        View = new PresenceView(keepRowDetails);
        // The client runs these handlers one at a time, in the order the messages arrived.
        connection.On<IReadOnlyList<HubRow>, long>(nameof(IPresenceClient.State), View.ApplyState);
        connection.On<IReadOnlyList<HubRow>, IReadOnlyList<string>, long>(nameof(IPresenceClient.Diff), View.ApplyDiff);
        connection.Closed += error =>
        {
            View.Ended = $"closed ({error?.Message ?? "cleanly"})";
            _closed.TrySetResult(error);
            return Task.CompletedTask;
        };
    }

    public HubConnection Connection { get; }

    public PresenceView View { get; }

    /// <summary>Completes with the error the connection closed with (null for a clean close).</summary>
    public Task<Exception?> Closed => _closed.Task;

    /// <summary>
    /// Connects to the hub. A refusal throws <see cref="HubRefusedException"/> with the HTTP status the server answered.
    /// </summary>
    /// <param name="configure">Further options, e.g. a <c>WebSocketFactory</c> for a socket of the test's own.</param>
    public static async Task<PresenceSubscriber> ConnectAsync(Uri baseAddress, HubCredentials credentials,
        HttpTransportType transport = HttpTransportType.WebSockets, bool keepRowDetails = true,
        Action<HttpConnectionOptions>? configure = null, TimeSpan? serverTimeout = null)
    {
        var url = new Uri(baseAddress, PresenceHub.Path + (credentials.AccessTokenInUrl is { } token ? $"?access_token={Uri.EscapeDataString(token)}" : ""));
        var connection = new HubConnectionBuilder()
            .WithUrl(url, transport, options =>
            {
                credentials.ApplyTo(options);
                configure?.Invoke(options);
            })
            .ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.None))
            .Build();
        // Ping every 5 s (the client's default is 15 s, half the server's 30 s client timeout): hundreds of clients
        // share this machine's CPU with the server in the load tests, and a late ping there would cost the connection.
        connection.KeepAliveInterval = TimeSpan.FromSeconds(5);
        if (serverTimeout is { } timeout) connection.ServerTimeout = timeout;
        var subscriber = new PresenceSubscriber(connection, keepRowDetails);
        try
        {
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await connection.StartAsync(limit.Token);
            return subscriber;
        }
        catch (Exception ex) when (StatusOf(ex) is { } status)
        {
            await connection.DisposeAsync();
            throw new HubRefusedException(status, ex);
        }
    }

    /// <summary>
    /// Subscribes with a filter object (serialized as given; {} for every row) and waits until the <c>State</c> it
    /// brings has been applied: the client completes the call on its receive loop, before its handler has run.
    /// </summary>
    public async Task SubscribeAsync(object? filter = null)
    {
        var states = View.States;
        await Connection.InvokeAsync(nameof(PresenceHub.Subscribe), filter ?? new { });
        await View.WaitUntilAsync(v => v.States > states, what: "the State after Subscribe");
    }

    public Task UnsubscribeAsync() => Connection.InvokeAsync(nameof(PresenceHub.Unsubscribe));

    public async ValueTask DisposeAsync() => await Connection.DisposeAsync();

    /// <summary>The HTTP status inside a failed start: negotiate and long polling throw it as HttpRequestException,
    /// a refused WebSocket upgrade as a WebSocketException (read from <see cref="WebSocketStatus"/>).</summary>
    private static HttpStatusCode? StatusOf(Exception? ex) => ex switch
    {
        null => null,
        HttpRequestException { StatusCode: { } status } => status,
        WebSocketStatusException refused => refused.Status,
        AggregateException many => many.InnerExceptions.Select(StatusOf).FirstOrDefault(s => s is not null),
        _ => StatusOf(ex.InnerException),
    };

    /// <summary>
    /// A WebSocket factory that connects a plain <see cref="ClientWebSocket"/> with the given headers only, so a
    /// refused upgrade reports its HTTP status; <paramref name="receiveBufferBytes"/> fixes the socket's kernel receive
    /// buffer (no auto-tuning), so a client that stops reading fills it after that many bytes instead of megabytes;
    /// <paramref name="connected"/> may wrap the connected socket (e.g. in a <see cref="StallableWebSocket"/>).
    /// </summary>
    public static Func<WebSocketConnectionContext, CancellationToken, ValueTask<WebSocket>> WebSocketStatus(
        IReadOnlyDictionary<string, string>? headers = null, int? receiveBufferBytes = null, Func<WebSocket, WebSocket>? connected = null) =>
        async (context, cancellationToken) =>
        {
            var socket = new ClientWebSocket();
            socket.Options.CollectHttpResponseDetails = true;
            foreach (var (name, value) in headers ?? new Dictionary<string, string>()) socket.Options.SetRequestHeader(name, value);
            try
            {
                if (receiveBufferBytes is { } size)
                {
                    using var invoker = new HttpMessageInvoker(new SocketsHttpHandler
                    {
                        ConnectCallback = async (connect, token) =>
                        {
                            var raw = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp)
                            {
                                ReceiveBufferSize = size,
                                NoDelay = true,
                            };
                            await raw.ConnectAsync(connect.DnsEndPoint, token);
                            return new System.Net.Sockets.NetworkStream(raw, ownsSocket: true);
                        },
                    });
                    await socket.ConnectAsync(context.Uri, invoker, cancellationToken);
                }
                else await socket.ConnectAsync(context.Uri, cancellationToken);
            }
            catch (WebSocketException ex)
            {
                var status = socket.HttpStatusCode;
                socket.Dispose();
                throw new WebSocketStatusException(status, ex);
            }

            return connected is null ? socket : connected(socket);
        };

    private sealed class WebSocketStatusException(HttpStatusCode status, Exception inner)
        : Exception($"The WebSocket upgrade was refused with {(int)status}.", inner)
    {
        public HttpStatusCode Status { get; } = status;
    }
}

public sealed class HubRefusedException(HttpStatusCode status, Exception inner) : Exception($"Refused with {(int)status}: {inner.Message}", inner)
{
    public HttpStatusCode Status { get; } = status;
}
