using System.Buffers;
using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace NowOnline.Tests.Support;

/// <summary>
/// A small SignalR client speaking the JSON hub protocol over a <see cref="ClientWebSocket"/> (the .NET
/// SignalR client is not available here): negotiate, WebSocket connect, handshake, invocations and
/// record-separated messages. State and Diff messages are applied to a <see cref="PresenceView"/>.
/// </summary>
public sealed class HubTestClient : IAsyncDisposable
{
    private const byte RecordSeparator = 0x1e;
    private readonly ClientWebSocket _socket;
    private readonly CancellationTokenSource _stop = new();
    private readonly Dictionary<string, TaskCompletionSource<JsonElement>> _invocations = new();
    private readonly TaskCompletionSource<string?> _handshake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<string?> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private Task _receiving = Task.CompletedTask;
    private Task _pinging = Task.CompletedTask;
    private int _nextInvocation;
    private TaskCompletionSource _reading = CompletedGate();

    private static TaskCompletionSource CompletedGate()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        gate.SetResult();
        return gate;
    }

    /// <summary>Stops taking messages off the socket, as a client that hangs would: the server's sends back up.</summary>
    public void StopReading() => _reading = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Takes messages off the socket again (and so sees whatever the server did meanwhile, e.g. closing).</summary>
    public void ResumeReading() => _reading.TrySetResult();

    private HubTestClient(ClientWebSocket socket, bool keepRowDetails)
    {
        _socket = socket;
        View = new PresenceView(keepRowDetails);
    }

    public PresenceView View { get; }

    /// <summary>Completes with the server's close error (null for a clean close) when the connection ends.</summary>
    public Task<string?> Closed => _closed.Task;

    /// <summary>Negotiates and connects to the hub; throws <see cref="HubRefusedException"/> when the server says no.</summary>
    /// <param name="receiveBufferBytes">When set, the client socket's kernel receive buffer (no auto-tuning), so a client
    /// that stops reading fills it after that many bytes instead of megabytes.</param>
    public static async Task<HubTestClient> ConnectAsync(Uri baseAddress, HubCredentials credentials,
        string path = "/hubs/presence", bool keepRowDetails = true, HubCredentials? webSocketCredentials = null,
        int? receiveBufferBytes = null)
    {
        using var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        using var negotiate = new HttpRequestMessage(HttpMethod.Post, WithToken($"{path}/negotiate?negotiateVersion=1", credentials));
        foreach (var (name, value) in credentials.Headers) negotiate.Headers.TryAddWithoutValidation(name, value);
        using var reply = await http.SendAsync(negotiate);
        if (reply.StatusCode != HttpStatusCode.OK)
            throw new HubRefusedException(reply.StatusCode, await reply.Content.ReadAsStringAsync());
        var negotiation = await reply.Content.ReadFromJsonAsync<JsonElement>();
        var token = negotiation.GetProperty("connectionToken").GetString()!;

        var socketCredentials = webSocketCredentials ?? credentials;
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        foreach (var (name, value) in socketCredentials.Headers) socket.Options.SetRequestHeader(name, value);
        var url = new UriBuilder(new Uri(baseAddress, WithToken($"{path}?id={Uri.EscapeDataString(token)}", socketCredentials)))
        {
            Scheme = baseAddress.Scheme == "https" ? "wss" : "ws",
        }.Uri;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            if (receiveBufferBytes is { } size)
            {
                using var invoker = new HttpMessageInvoker(new SocketsHttpHandler
                {
                    ConnectCallback = async (context, cancellationToken) =>
                    {
                        var raw = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp)
                        {
                            ReceiveBufferSize = size,
                            NoDelay = true,
                        };
                        await raw.ConnectAsync(context.DnsEndPoint, cancellationToken);
                        return new System.Net.Sockets.NetworkStream(raw, ownsSocket: true);
                    },
                });
                await socket.ConnectAsync(url, invoker, timeout.Token);
            }
            else await socket.ConnectAsync(url, timeout.Token);
        }
        catch (WebSocketException ex)
        {
            var status = socket.HttpStatusCode;
            socket.Dispose();
            throw new HubRefusedException(status, ex.Message);
        }

        var client = new HubTestClient(socket, keepRowDetails);
        client._receiving = Task.Run(client.ReceiveAsync); // off the test runner's synchronization context
        await client.SendRawAsync("""{"protocol":"json","version":1}""");
        var handshakeError = await client._handshake.Task.WaitAsync(TimeSpan.FromSeconds(30));
        if (handshakeError is not null) throw new InvalidOperationException($"Handshake refused: {handshakeError}");
        client._pinging = Task.Run(client.PingAsync);
        return client;
    }

    private static string WithToken(string url, HubCredentials credentials) =>
        credentials.AccessToken is null ? url : $"{url}{(url.Contains('?') ? '&' : '?')}access_token={Uri.EscapeDataString(credentials.AccessToken)}";

    /// <summary>Invokes a hub method and waits for its completion; a hub error is thrown as <see cref="HubInvocationException"/>.</summary>
    public async Task<JsonElement> InvokeAsync(string target, params object?[] arguments)
    {
        var id = Interlocked.Increment(ref _nextInvocation).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var completion = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_invocations) _invocations[id] = completion;
        await SendRawAsync(JsonSerializer.Serialize(new { type = 1, invocationId = id, target, arguments }));
        return await completion.Task.WaitAsync(TimeSpan.FromSeconds(60));
    }

    /// <summary>Subscribes with a filter object (serialized as given), waiting for the server's completion.</summary>
    public Task SubscribeAsync(object? filter = null) => InvokeAsync("Subscribe", filter ?? new { });

    public async Task SendRawAsync(string message)
    {
        var bytes = Encoding.UTF8.GetBytes(message + (char)RecordSeparator);
        await _sendLock.WaitAsync();
        try
        {
            await _socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, _stop.Token);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private async Task PingAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromSeconds(5), _stop.Token);
                await SendRawAsync("""{"type":6}""");
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
        }
    }

    private async Task ReceiveAsync()
    {
        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        string? closeError = null;
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                await _reading.Task.WaitAsync(_stop.Token);
                var result = await _socket.ReceiveAsync(buffer.GetMemory(16 * 1024), _stop.Token);
                if (result.MessageType == WebSocketMessageType.Close) break;
                buffer.Advance(result.Count);
                buffer = DispatchComplete(buffer, ref closeError);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
            closeError ??= $"{ex.GetType().Name}: {ex.Message}";
        }
        catch (Exception ex)
        {
            View.Fail($"The client could not read a message: {ex}");
        }
        finally
        {
            View.Ended = $"closed ({closeError ?? "cleanly"})";
            _handshake.TrySetResult("The connection closed before the handshake.");
            lock (_invocations)
                foreach (var pending in _invocations.Values) pending.TrySetException(new HubInvocationException($"Connection closed. {closeError}"));
            _closed.TrySetResult(closeError);
        }
    }

    private ArrayBufferWriter<byte> DispatchComplete(ArrayBufferWriter<byte> buffer, ref string? closeError)
    {
        var data = buffer.WrittenMemory;
        var start = 0;
        int end;
        while ((end = data.Span[start..].IndexOf(RecordSeparator)) >= 0)
        {
            Dispatch(data.Slice(start, end), ref closeError);
            start += end + 1;
        }

        if (start == 0) return buffer;
        var rest = new ArrayBufferWriter<byte>(Math.Max(64 * 1024, data.Length - start));
        rest.Write(data.Span[start..]);
        return rest;
    }

    private void Dispatch(ReadOnlyMemory<byte> message, ref string? closeError)
    {
        using var document = JsonDocument.Parse(message);
        var root = document.RootElement;
        if (!_handshake.Task.IsCompleted)
        {
            _handshake.TrySetResult(root.TryGetProperty("error", out var refused) ? refused.GetString() : null);
            return;
        }

        switch (root.GetProperty("type").GetInt32())
        {
            case 1:
                View.Apply(root.GetProperty("target").GetString()!, root.GetProperty("arguments"));
                break;
            case 3:
                TaskCompletionSource<JsonElement>? completion;
                var id = root.GetProperty("invocationId").GetString()!;
                lock (_invocations) _invocations.Remove(id, out completion);
                if (root.TryGetProperty("error", out var error)) completion?.TrySetException(new HubInvocationException(error.GetString()!));
                else completion?.TrySetResult(root.TryGetProperty("result", out var result) ? result.Clone() : default);
                break;
            case 7:
                closeError = root.TryGetProperty("error", out var reason) ? reason.GetString() : null;
                break;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
                await _receiving.WaitAsync(TimeSpan.FromSeconds(5));
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or TimeoutException)
        {
        }

        await _stop.CancelAsync();
        await Task.WhenAll(_receiving, _pinging).WaitAsync(TimeSpan.FromSeconds(5));
        _socket.Dispose();
        _stop.Dispose();
    }
}

public sealed class HubRefusedException(HttpStatusCode status, string detail) : Exception($"Refused with {(int)status}: {detail}")
{
    public HttpStatusCode Status { get; } = status;
}

public sealed class HubInvocationException(string message) : Exception(message);
