namespace NowOnline.Tests.Support;

/// <summary>
/// One running app for a whole test collection. Its tests run one after another and keep apart by ids no other test
/// uses (<see cref="StorefrontEvents.Tagged"/>), so none of them may assert a count of the whole app.
/// A test that needs a fresh app, a restart, a clock or configuration of its own starts a <see cref="TestApp"/> itself.
/// </summary>
public sealed class SharedApp : IAsyncLifetime
{
    public TestApp App { get; private set; } = default!;

    public async Task InitializeAsync() => App = await TestApp.StartAsync();

    public async Task DisposeAsync() => await App.DisposeAsync();
}

/// <summary>The HTTP API and security tests that share one app.</summary>
[CollectionDefinition(Name)]
public sealed class SharedApiApp : ICollectionFixture<SharedApp>
{
    public const string Name = "shared app: api";
}

/// <summary>The presence hub tests that share one app (another than the API's, so the two collections run side by side).</summary>
[CollectionDefinition(Name)]
public sealed class SharedHubApp : ICollectionFixture<SharedApp>
{
    public const string Name = "shared app: hubs";
}
