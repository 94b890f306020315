using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using NowOnline.Core.Presence;
using NowOnline.Web.Security;

namespace NowOnline.Web.Api.Online;

/// <summary>
/// <c>GET /customers/online/export.csv</c>: every row of the grid's current view (all pages), with the
/// grid's own query-string parameters. Spreadsheet-safe: UTF-8 with BOM, RFC 4180 quoting, and cells that a
/// spreadsheet would run as a formula are escaped.
/// </summary>
public static class OnlineExportApi
{
    public const string Path = "/customers/online/export.csv";

    public static IEndpointRouteBuilder MapOnlineExport(this IEndpointRouteBuilder app)
    {
        app.MapGet(Path, Export)
            .RequireAuthorization(SecurityPolicies.Admin)
            .WithName("ExportOnline")
            .WithSummary("Downloads the filtered and sorted online list as CSV (all pages).")
            .WithTags("Online");
        return app;
    }

    internal static Results<PushStreamHttpResult, ValidationProblem> Export(HttpRequest request, PresenceTracker tracker, CancellationToken cancellationToken)
    {
        var (query, errors) = OnlineQueryParser.Parse(request.Query, OnlineQueryParser.ApiDefaultTake);
        var zone = TimeZoneInfo.Utc;
        if (request.Query["tz"].ToString() is { Length: > 0 } tz && !TimeZoneInfo.TryFindSystemTimeZoneById(tz, out zone!))
            errors.Add("tz", "The tz must be an IANA time zone such as Europe/Berlin.");
        if (errors.Any) return TypedResults.ValidationProblem(errors.ToDictionary(), title: "The export query is not valid.");

        var rows = tracker.QueryAll(query);
        var at = TimeZoneInfo.ConvertTime(tracker.Clock.GetUtcNow(), zone);
        var fileName = $"now-online-{at.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}.csv";
        return TypedResults.Stream(stream => WriteAsync(stream, rows, zone, cancellationToken), "text/csv; charset=utf-8", fileName);
    }

    private static async Task WriteAsync(Stream body, IReadOnlyList<OnlineRow> rows, TimeZoneInfo zone, CancellationToken cancellationToken)
    {
        // CsvWriter flushes synchronously when its buffer fills; Kestrel forbids synchronous writes, so the CSV goes
        // through a buffer that spills to a temp file past 32 KB and is then copied out asynchronously.
        await using var buffer = new FileBufferingWriteStream();
        Write(buffer, rows, zone, cancellationToken);
        await buffer.DrainBufferAsync(body, cancellationToken);
    }

    internal static void Write(Stream stream, IReadOnlyList<OnlineRow> rows, TimeZoneInfo zone, CancellationToken cancellationToken = default)
    {
        var config = new CsvConfiguration(CultureInfo.InvariantCulture) { InjectionOptions = InjectionOptions.Escape };
        using var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), leaveOpen: true);
        using var csv = new CsvWriter(writer, config);
        foreach (var header in Headers(zone)) csv.WriteField(header);
        csv.NextRecord();
        foreach (var row in rows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            csv.WriteField(row.CustomerId?.ToString(CultureInfo.InvariantCulture));
            csv.WriteField(row.FirstName);
            csv.WriteField(row.LastName);
            csv.WriteField(row.Email);
            csv.WriteField(row.Company);
            csv.WriteField(TimeZoneInfo.ConvertTime(row.LastActivity, zone).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
            csv.WriteField(row.Type.ToString());
            csv.WriteField(row.LastUrl);
            csv.WriteField(row.Store);
            csv.WriteField(row.SessionCount);
            csv.NextRecord();
        }
    }

    private static string[] Headers(TimeZoneInfo zone) =>
        ["ID", "First Name", "Last Name", "Email", "Company", $"Last Activity ({(zone == TimeZoneInfo.Utc ? "UTC" : zone.Id)})",
         "Type", "Last URL", "Store", "Sessions"];
}
