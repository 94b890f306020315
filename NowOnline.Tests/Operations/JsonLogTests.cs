using System.Net;
using System.Text.Json;
using NowOnline.Tests.Support;

namespace NowOnline.Tests.Operations;

/// <summary>
/// The real app as a child process with <c>Logging:Console:FormatterName=json</c>: every line on stdout is one JSON
/// object, and each refused request is logged once at Information with its reason and none of the payload's
/// personal data (email, names, session id).
/// </summary>
public sealed class JsonLogTests
{
    private const string Email = "ada.private@example.com";
    private const string FirstName = "Zebedeeq";
    private const string LastName = "Quillfeatherx";
    private const string SessionId = "s-private-7d1c";

    [Fact]
    public async Task Json_console_logs_one_object_per_line_and_each_refusal_once_without_personal_data()
    {
        using var folder = new TempFolder();
        // The shipped levels (appsettings.json): Information, and Warning for Microsoft.AspNetCore, whose request lines at
        // Information would show raw paths such as /api/sessions/{sessionId}.
        using var app = AppProcess.Start(folder.File("n.db"), ["--Logging:LogLevel:Default=Information", "--Logging:Console:FormatterName=json"]);
        await app.WaitUntilHealthyAsync();
        using var http = app.Storefront();

        var customer = new { id = 42, firstName = FirstName, lastName = LastName, email = Email };
        var accepted = await http.PostEventAsync(new { type = "login", sessionId = SessionId, customer });
        var invalid = await http.PostEventAsync(new[] { new { type = "login", sessionId = SessionId, customer = (object)new { id = -1, firstName = FirstName, email = Email } } });
        var unknown = await http.GetAsync($"/api/sessions/{SessionId}-gone");
        using var anonymous = new HttpClient { BaseAddress = http.BaseAddress };
        var unauthorized = await anonymous.PostEventAsync(new { type = "login", sessionId = SessionId, customer });
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);

        // A last refusal: once its line is out, the lines of the earlier ones have had their chance.
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await http.DeleteAsync("/api/online")).StatusCode);
        await Eventually.TrueAsync(() => Refusals(app.StandardOutputLines).Any(r => r.Contains("405", StringComparison.Ordinal)), "the last refusal is logged");

        var entries = app.StandardOutputLines.Where(l => l.Length > 0).Select(l =>
        {
            using var document = JsonDocument.Parse(l); // throws when a line is not one whole JSON value
            Assert.Equal(JsonValueKind.Object, document.RootElement.ValueKind);
            return document.RootElement.Clone();
        }).ToList();
        Assert.NotEmpty(entries);
        Assert.All(entries, e => Assert.True(e.TryGetProperty("LogLevel", out _) && e.TryGetProperty("Category", out _), e.ToString()));

        var refusals = Refusals(app.StandardOutputLines);
        Assert.Single(refusals, r => r.Contains("POST /api/activity: 400", StringComparison.Ordinal) && r.Contains("customer.id", StringComparison.Ordinal));
        Assert.Single(refusals, r => r.Contains("GET /api/sessions/{sessionId}: 404", StringComparison.Ordinal));
        Assert.Single(refusals, r => r.Contains("POST /api/activity: 401", StringComparison.Ordinal));
        Assert.Equal(4, refusals.Count);

        var visible = entries.Where(e => e.GetProperty("LogLevel").GetString() is "Information" or "Warning" or "Error" or "Critical").ToList();
        Assert.NotEmpty(visible);
        foreach (var secret in new[] { Email, FirstName, LastName, SessionId })
            Assert.DoesNotContain(visible, e => e.ToString().Contains(secret, StringComparison.OrdinalIgnoreCase));
    }

    private static List<string> Refusals(IEnumerable<string> lines) => lines
        .Where(l => l.Contains("RejectedRequestLog", StringComparison.Ordinal))
        .Select(l => JsonDocument.Parse(l).RootElement)
        .Where(e => e.GetProperty("LogLevel").GetString() == "Information")
        .Select(e => e.GetProperty("Message").GetString()!)
        .ToList();
}
