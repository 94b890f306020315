using System.Diagnostics;
using NowOnline.Tests.Support;
using System.Net;
using System.Net.Sockets;

namespace NowOnline.Tests.Deploy;

/// <summary>
/// Debian's nginx running <c>docs/deploy/nginx.conf</c> as docs/operations.md gives it, with only the listen ports, the
/// two nodes' addresses, a throwaway self-signed certificate (openssl) and the log folder replaced, in a temp folder of
/// its own (no daemon, no system paths). Stopped and removed on dispose.
/// </summary>
public sealed class NginxProxy : IAsyncDisposable
{
    public const string Binary = "/usr/sbin/nginx";
    private readonly Process _process;
    private readonly string _folder;

    /// <summary>The name the certificate is made out to (a test resolves it to 127.0.0.1 itself).</summary>
    public const string HostName = "nowonline.test";

    private NginxProxy(Process process, string folder, Uri baseAddress, Uri plainAddress)
    {
        _process = process;
        _folder = folder;
        BaseAddress = baseAddress;
        PlainAddress = plainAddress;
    }

    /// <summary>The HTTPS side (https://127.0.0.1:port/).</summary>
    public Uri BaseAddress { get; }

    /// <summary>The plain HTTP side, which only redirects to HTTPS.</summary>
    public Uri PlainAddress { get; }

    /// <summary>The SHA-1 hash of the self-signed certificate nginx presents (what a client trusts, and nothing else).</summary>
    public string CertificateHash => System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(
        Convert.FromBase64String(string.Concat(File.ReadAllLines(Path.Combine(_folder, "cert.pem")).Where(l => !l.StartsWith("-----", StringComparison.Ordinal)))))
        .GetCertHashString();

    /// <summary>The access log in the documented format (one line per finished request, naming the node).</summary>
    public string AccessLogPath => Path.Combine(_folder, "nowonline.access.log");

    public static async Task<NginxProxy> StartAsync(Uri nodeA, Uri nodeB)
    {
        if (!File.Exists(Binary))
            throw new InvalidOperationException($"nginx is not installed ({Binary}): apt-get install -y nginx (.ci/run does).");
        var folder = Directory.CreateTempSubdirectory("nowonline-nginx-").FullName;
        // nginx started as root runs its workers as nobody: they write the proxy's temp files here.
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(folder, (UnixFileMode)0b111_111_111);
        await RunAsync("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", $"/CN={HostName}",
            "-addext", $"subjectAltName=DNS:{HostName},IP:127.0.0.1",
            "-keyout", Path.Combine(folder, "key.pem"), "-out", Path.Combine(folder, "cert.pem"));
        var port = FreePort.Next();
        var plainPort = FreePort.Next();
        var config = Configure(await File.ReadAllTextAsync(DocumentedConfig()), folder, port, plainPort, nodeA, nodeB);
        var configPath = Path.Combine(folder, "nginx.conf");
        await File.WriteAllTextAsync(configPath, config);

        var start = new ProcessStartInfo(Binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "-p", folder, "-e", Path.Combine(folder, "error.log"), "-c", configPath,
                     "-g", $"daemon off; pid {Path.Combine(folder, "nginx.pid")};" })
            start.ArgumentList.Add(arg);
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var proxy = new NginxProxy(process, folder, new Uri($"https://127.0.0.1:{port}/"), new Uri($"http://127.0.0.1:{plainPort}/"));
        var until = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            if (process.HasExited)
                throw new InvalidOperationException($"nginx exited with {process.ExitCode}: {proxy.ErrorLog()}");
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
                return proxy;
            }
            catch (SocketException) when (DateTime.UtcNow < until)
            {
                await Task.Delay(100);
            }
        }
    }

    /// <summary>The documented configuration with the test's ports and paths; fails if a line it replaces has moved.</summary>
    public static string Configure(string documented, string folder, int port, int plainPort, Uri nodeA, Uri nodeB)
    {
        var config = Replace(documented, "listen 443 ssl;", $"listen 127.0.0.1:{port} ssl;", 1);
        config = Replace(config, "listen 80;", $"listen 127.0.0.1:{plainPort};", 1);
        config = Replace(config, "return 301 https://$host$request_uri;", $"return 301 https://$host:{port}$request_uri;", 1);
        config = Replace(config, "/etc/nowonline/tls/fullchain.pem;", Path.Combine(folder, "cert.pem") + ";", 1);
        config = Replace(config, "/etc/nowonline/tls/privkey.pem;", Path.Combine(folder, "key.pem") + ";", 1);
        config = Replace(config, "server 127.0.0.1:5001 ", $"server 127.0.0.1:{nodeA.Port} ", 2);
        config = Replace(config, "server 127.0.0.1:5002 ", $"server 127.0.0.1:{nodeB.Port} ", 2);
        config = Replace(config, "/var/log/nginx/", folder + "/", 1);
        var temp = string.Join(' ', new[] { "client_body", "proxy", "fastcgi", "uwsgi", "scgi" }
            .Select(kind => $"{kind}_temp_path {Path.Combine(folder, kind)};"));
        return Replace(config, "\nhttp {\n", $"\nhttp {{\n    {temp}\n", 1);
    }

    /// <summary>The error log so far, for failure messages.</summary>
    public string ErrorLog()
    {
        var path = Path.Combine(_folder, "error.log");
        return File.Exists(path) ? File.ReadAllText(path) : "(no error log)";
    }

    /// <summary>The access log's lines so far (nginx writes each line when its request ends).</summary>
    public IReadOnlyList<string> AccessLog() => File.Exists(AccessLogPath) ? File.ReadAllLines(AccessLogPath) : [];

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static string Replace(string text, string what, string with, int expected)
    {
        var count = (text.Length - text.Replace(what, "", StringComparison.Ordinal).Length) / what.Length;
        if (count != expected)
            throw new InvalidOperationException($"docs/deploy/nginx.conf: expected '{what.Trim()}' {expected} time(s), found {count}.");
        return text.Replace(what, with, StringComparison.Ordinal);
    }

    private static string DocumentedConfig()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var path = Path.Combine(folder.FullName, "docs", "deploy", "nginx.conf");
            if (File.Exists(path)) return path;
        }

        throw new InvalidOperationException($"No docs/deploy/nginx.conf above {AppContext.BaseDirectory}.");
    }

    /// <summary>
    /// A client of the HTTPS side that reaches nginx for <see cref="HostName"/> (as DNS would) and trusts exactly the
    /// proxy's self-signed certificate; cookies are carried by hand, redirects are not followed.
    /// </summary>
    public HttpClient HttpsClient()
    {
        var expected = CertificateHash;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(IPAddress.Loopback, context.DnsEndPoint.Port, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            },
            SslOptions = { RemoteCertificateValidationCallback = (_, presented, _, _) => presented?.GetCertHashString() == expected },
        };
        return new HttpClient(handler) { BaseAddress = new Uri($"https://{HostName}:{BaseAddress.Port}/"), Timeout = TimeSpan.FromSeconds(30) };
    }

    private static async Task RunAsync(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{file} failed ({process.ExitCode}): {await error}{await output}");
    }
}
