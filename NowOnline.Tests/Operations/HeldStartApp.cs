using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using NowOnline.Tests.Support;
using NowOnline.Web;
using NowOnline.Web.Api.Health;

namespace NowOnline.Tests.Operations;

/// <summary>
/// The app started as Program.cs starts it (listening first, start-up after), with a start-up step the test holds open
/// until <see cref="Release"/>, or that fails when asked to.
/// </summary>
public sealed class HeldStartApp : IAsyncDisposable
{
    public const string HeldStep = "a step the test holds open";
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private WebApplication _app = default!;

    private HeldStartApp()
    {
    }

    public HttpClient Client { get; private set; } = default!;

    public WebApplication App => _app;

    public StartupGate Gate => _app.Services.GetRequiredService<StartupGate>();

    /// <summary>Starts the app on <paramref name="databasePath"/>; start-up waits in the held step (or throws <paramref name="failure"/>).</summary>
    public static async Task<HeldStartApp> StartAsync(string databasePath, Exception? failure = null, IDictionary<string, string?>? settings = null)
    {
        var held = new HeldStartApp();
        var config = new Dictionary<string, string?>
        {
            ["ConnectionStrings:NowOnline"] = $"Data Source={databasePath}",
            ["Ingestion:ApiKeys:0"] = TestApp.ApiKey,
            ["Admin:Email"] = TestApp.AdminEmail,
            ["Admin:Password"] = TestApp.AdminPassword,
            ["Simulator:Enabled"] = "false",
            ["Logging:LogLevel:Default"] = "Critical",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) config[key] = value;
        var args = new[] { "--urls", "http://127.0.0.1:0", "--environment", "Production" }
            .Concat(config.Select(pair => $"--{pair.Key}={pair.Value}")).ToArray();
        AppStarts.Record("held start");
        held._app = NowOnlineApp.Compose(args, builder => builder.Services.AddSingleton(new StartupStep(HeldStep, async (_, cancellationToken) =>
        {
            held._entered.TrySetResult();
            if (failure is not null) throw failure;
            await held._release.Task.WaitAsync(cancellationToken);
        })));
        await held._app.StartAsync();
        var address = held._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        held.Client = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(30) };
        held.Client.DefaultRequestHeaders.Add("X-Api-Key", TestApp.ApiKey);
        await held._entered.Task.WaitAsync(TimeSpan.FromSeconds(60));
        return held;
    }

    public void Release() => _release.TrySetResult();

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Release();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
