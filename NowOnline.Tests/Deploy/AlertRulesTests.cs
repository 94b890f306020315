using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using NowOnline.Tests.Operations;
using NowOnline.Tests.Support;

namespace NowOnline.Tests.Deploy;

/// <summary>
/// docs/deploy/alerts.yml: valid for Prometheus (promtool check rules), firing when it should and only then (promtool
/// test rules with docs/deploy/alerts.test.yml), and reading only series the app really exports.
/// </summary>
[Collection(ProcessMetersCollection.Name)]
public sealed partial class AlertRulesTests
{
    private const string Promtool = "/usr/bin/promtool";

    [Fact]
    public async Task Alert_rules_pass_promtool_check_and_their_unit_tests()
    {
        Assert.True(File.Exists(Promtool), $"{Promtool} is missing: apt-get install -y prometheus (.ci/run does).");
        var folder = DeployFolder();

        var (checkExit, checkOutput) = await RunAsync(folder, "check", "rules", "alerts.yml");
        var (testExit, testOutput) = await RunAsync(folder, "test", "rules", "alerts.test.yml");

        Assert.True(checkExit == 0, checkOutput);
        Assert.Contains("SUCCESS: 7 rules found", checkOutput);
        Assert.True(testExit == 0, testOutput);
        Assert.Contains("SUCCESS", testOutput);
    }

    [Fact]
    public async Task Every_series_the_alert_rules_read_is_in_a_scrape_of_the_app_and_it_reports_ready()
    {
        var rules = await File.ReadAllTextAsync(Path.Combine(DeployFolder(), "alerts.yml"));
        var series = SeriesName().Matches(rules).Select(m => m.Value).Distinct().ToList();
        Assert.Contains("nowonline_ready", series);
        Assert.True(series.Count >= 6, string.Join(", ", series));
        await using var app = await TestApp.StartAsync(new Dictionary<string, string?> { ["Metrics:Enabled"] = "true" });
        using var storefront = app.Storefront();
        Assert.Equal(HttpStatusCode.Accepted, (await storefront.PostEventAsync(StorefrontEvents.Tagged().CartAdd("alerts"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().PostEventAsync(StorefrontEvents.Tagged().CartAdd("alerts"))).StatusCode);
        using var scraper = app.Anonymous();

        var scrape = await Scrape.ReadAsync(scraper);
        await Eventually.TrueAsync(async () => (scrape = await Scrape.ReadAsync(scraper)).Value("nowonline_ready") == 1,
            "the app reports itself ready", seconds: 60);

        foreach (var name in series)
            Assert.True(Regex.IsMatch(scrape.Text, $"^{Regex.Escape(name)}[{{ ]", RegexOptions.Multiline), $"{name} (read by alerts.yml) is in the scrape");
    }

    private static async Task<(int Exit, string Output)> RunAsync(string folder, params string[] args)
    {
        var start = new ProcessStartInfo(Promtool) { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }

    private static string DeployFolder()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            if (File.Exists(Path.Combine(folder.FullName, "docs", "deploy", "alerts.yml"))) return Path.Combine(folder.FullName, "docs", "deploy");
        throw new InvalidOperationException($"No docs/deploy/alerts.yml above {AppContext.BaseDirectory}.");
    }

    // The series a rule reads (not its label values): the app's own, and ASP.NET Core's request counter.
    [GeneratedRegex(@"\b(nowonline_[a-z_]+|http_server_request_duration_seconds_count)\b")]
    private static partial Regex SeriesName();
}
