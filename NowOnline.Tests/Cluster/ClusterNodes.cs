using System.Net.Http.Json;
using System.Text.Json;
using NowOnline.Tests.Support;

namespace NowOnline.Tests.Cluster;

/// <summary>One test's cluster: a database of its own on the shared PostgreSQL, and in-process nodes started on it.</summary>
public sealed class ClusterNodes(string connectionString) : IAsyncDisposable
{
    private readonly TempFolder _folder = new();
    private readonly List<TestApp> _nodes = [];

    public string ConnectionString { get; } = connectionString;

    public static async Task<ClusterNodes> CreateAsync(PostgresServer postgres) => new(await postgres.CreateDatabaseAsync());

    /// <summary>Command-line settings of a node on this cluster (for a child process).</summary>
    public string[] NodeArgs => ["--Storage:Provider=PostgreSql", $"--ConnectionStrings:NowOnline={ConnectionString}"];

    public async Task<TestApp> StartAsync(string name, IDictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "PostgreSql",
            ["ConnectionStrings:NowOnline"] = ConnectionString,
            ["Ingestion:RateLimitPermits"] = "10000000",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) all[key] = value;
        var node = await TestApp.StartAsync(all, databasePath: _folder.File($"{name}.unused.db"));
        lock (_nodes) _nodes.Add(node);
        return node;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes) await node.DisposeAsync();
        _folder.Dispose();
    }

    /// <summary>The session ids in a node's GET /api/online that contain <paramref name="search"/>.</summary>
    public static async Task<IReadOnlyList<string>> OnlineSessionsAsync(HttpClient storefront, string search)
    {
        var page = await storefront.GetFromJsonAsync<JsonElement>($"/api/online?search={search}&take=200");
        return page.GetProperty("items").EnumerateArray().Select(item => item.GetProperty("sessionId").GetString()!).ToList();
    }
}
