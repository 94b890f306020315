using Microsoft.Extensions.Options;
using NowOnline.Core.Ingestion;
using NowOnline.Core.Presence;

namespace NowOnline.Web.Simulator;

/// <summary>
/// Demo storefront: shoppers arrive, browse, fill carts, sign in, register, sign out and wander off (and so
/// expire). Events go through the same durable ingestion path as <c>POST /api/activity</c>.
/// </summary>
public sealed class StorefrontSimulator(
    IActivityIngestor ingestor,
    TimeProvider clock,
    IOptions<SimulatorOptions> options,
    IHostEnvironment environment,
    ILogger<StorefrontSimulator> logger) : BackgroundService
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(250);
    private readonly Random _random = new();
    private readonly List<Shopper> _shoppers = [];
    private long _nextCustomerId = 5000 + Random.Shared.Next(0, 100_000) * 10L;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!(settings.Enabled ?? environment.IsDevelopment())) return;
        logger.LogInformation("Storefront simulator on: {Shoppers} shoppers, {Rate} events/s", settings.Shoppers, settings.EventsPerSecond);

        var budget = 0d;
        var first = true;
        while (!stoppingToken.IsCancellationRequested)
        {
            var batch = new List<ActivityEvent>();
            if (first)
            {
                // Open the shop with a crowd so the grid is alive on the first look.
                for (var i = 0; i < Math.Min(settings.Shoppers, 30); i++) batch.Add(Arrive(signIn: i % 2 == 0));
                first = false;
            }

            budget += settings.EventsPerSecond * Tick.TotalSeconds;
            for (; budget >= 1; budget--) batch.Add(NextEvent(settings.Shoppers));

            if (batch.Count > 0)
            {
                try
                {
                    await ingestor.SubmitAsync(batch, stoppingToken);
                }
                catch (StorageUnavailableException ex)
                {
                    logger.LogWarning(ex, "Simulator could not store its events; retrying on the next tick");
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }

            try
            {
                await Task.Delay(Tick, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private ActivityEvent NextEvent(int targetShoppers)
    {
        if (_shoppers.Count < targetShoppers && _random.NextDouble() < 0.3) return Arrive(signIn: _random.NextDouble() < 0.4);

        var shopper = _shoppers[_random.Next(_shoppers.Count)];
        var roll = _random.NextDouble();
        if (roll < 0.35) return Event(shopper, ActivityType.PageView);
        if (roll < 0.60) return Cart(shopper, ActivityType.CartAdd);
        if (roll < 0.68) return Cart(shopper, ActivityType.CartUpdate);
        if (roll < 0.74) return Cart(shopper, ActivityType.CartRemove);
        if (roll < 0.84 && shopper.Customer is null) return SignIn(shopper);
        if (roll < 0.90 && shopper.Customer is not null)
        {
            shopper.Customer = null;
            return Event(shopper, ActivityType.Logout);
        }

        // Wander off: no more events from this shopper, so the session expires after the interval.
        _shoppers.Remove(shopper);
        return Event(shopper, ActivityType.PageView);
    }

    private ActivityEvent Arrive(bool signIn)
    {
        var shopper = new Shopper($"sim-{Guid.NewGuid():N}"[..20], Pick(DemoCustomers.Stores));
        _shoppers.Add(shopper);
        return signIn ? SignIn(shopper) : Cart(shopper, ActivityType.CartAdd);
    }

    private ActivityEvent SignIn(Shopper shopper)
    {
        var signedIn = _shoppers.Select(s => s.Customer?.Id).ToHashSet();
        var available = DemoCustomers.All.Where(c => !signedIn.Contains(c.Id)).ToList();
        if (available.Count == 0 || _random.NextDouble() < 0.1)
        {
            var id = ++_nextCustomerId;
            shopper.Customer = new CustomerProfile(id, "New", $"Shopper {id}", $"shopper{id}@example.com", null);
            return Event(shopper, ActivityType.Register, "customer/account/create");
        }

        shopper.Customer = available[_random.Next(available.Count)];
        return Event(shopper, ActivityType.Login, "customer/account/login");
    }

    private ActivityEvent Cart(Shopper shopper, ActivityType type)
    {
        var product = Pick(DemoCustomers.Catalogue);
        var qty = type == ActivityType.CartRemove ? 0 : _random.Next(1, 4);
        return Event(shopper, type, "checkout/cart", product with { Qty = qty });
    }

    private ActivityEvent Event(Shopper shopper, ActivityType type, string? path = null, CartLine? item = null) =>
        new(Guid.NewGuid().ToString("N"), type, shopper.SessionId, clock.GetUtcNow(),
            type.SignsIn() ? shopper.Customer : null,
            "https://shop.example/" + (path ?? Pick(DemoCustomers.Paths)), item, shopper.Store,
            "Mozilla/5.0 (NowOnline demo storefront)");

    private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    private sealed class Shopper(string sessionId, string store)
    {
        public string SessionId { get; } = sessionId;
        public string Store { get; } = store;
        public CustomerProfile? Customer { get; set; }
    }
}
