using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using NowOnline.Core.Presence;
using NowOnline.Web.Api.Activity;
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

    /// <summary>The columns an export can hold, by the grid's column keys; <c>sessions</c> is the export's own.</summary>
    public static readonly IReadOnlyList<string> ColumnKeys =
        ["id", "firstName", "lastName", "email", "company", "lastActivity", "type", "lastUrl", "store", "sessions"];

    internal static Results<PushStreamHttpResult, ValidationProblem> Export(HttpRequest request, PresenceTracker tracker, CancellationToken cancellationToken)
    {
        var (query, errors) = OnlineQueryParser.Parse(request.Query, OnlineQueryParser.ApiDefaultTake);
        var zone = TimeZoneInfo.Utc;
        if (request.Query["tz"].ToString() is { Length: > 0 } tz && !TimeZoneInfo.TryFindSystemTimeZoneById(tz, out zone!))
            errors.Add("tz", "The tz must be an IANA time zone such as Europe/Berlin.");
        var columns = ParseColumns(request.Query["columns"], errors);
        if (errors.Any) return TypedResults.ValidationProblem(errors.ToDictionary(), title: "The export query is not valid.");

        var rows = tracker.QueryAll(query);
        var at = TimeZoneInfo.ConvertTime(tracker.Clock.GetUtcNow(), zone);
        var fileName = $"now-online-{at.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}.csv";
        return TypedResults.Stream(stream => WriteAsync(stream, rows, zone, columns, cancellationToken), "text/csv; charset=utf-8", fileName);
    }

    // "columns=id,email,…": those columns in that order (the grid sends its visible ones); absent = every column.
    private static IReadOnlyList<string> ParseColumns(Microsoft.Extensions.Primitives.StringValues values, ValidationErrors errors)
    {
        if (values.Count == 0) return ColumnKeys;
        var keys = values.Count == 1 ? values.ToString().Split(',', StringSplitOptions.TrimEntries) : [];
        if (values.Count > 1 || keys.Length == 0 || keys.Length > ColumnKeys.Count)
            errors.Add("columns", "Send columns once, as a comma-separated list of column keys.");
        else if (keys.FirstOrDefault(k => !ColumnKeys.Contains(k)) is { } unknown)
            errors.Add("columns", $"The columns must be among {string.Join(", ", ColumnKeys)}; '{Shorten(unknown)}' is not.");
        else if (keys.Distinct(StringComparer.Ordinal).Count() != keys.Length)
            errors.Add("columns", "Name each column once.");
        else return keys;
        return ColumnKeys;
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";

    private static async Task WriteAsync(Stream body, IReadOnlyList<OnlineRow> rows, TimeZoneInfo zone, IReadOnlyList<string> columns,
        CancellationToken cancellationToken)
    {
        // CsvWriter flushes synchronously when its buffer fills; Kestrel forbids synchronous writes, so the CSV goes
        // through a buffer that spills to a temp file past 32 KB and is then copied out asynchronously.
        await using var buffer = new FileBufferingWriteStream();
        Write(buffer, rows, zone, cancellationToken, columns);
        await buffer.DrainBufferAsync(body, cancellationToken);
    }

    internal static void Write(Stream stream, IReadOnlyList<OnlineRow> rows, TimeZoneInfo zone, CancellationToken cancellationToken = default,
        IReadOnlyList<string>? columns = null)
    {
        columns ??= ColumnKeys;
        var config = new CsvConfiguration(CultureInfo.InvariantCulture) { InjectionOptions = InjectionOptions.Escape };
        using var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), leaveOpen: true);
        using var csv = new CsvWriter(writer, config);
        foreach (var column in columns) csv.WriteField(Header(column, zone));
        csv.NextRecord();
        foreach (var row in rows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var column in columns) csv.WriteField(Cell(column, row, zone));
            csv.NextRecord();
        }
    }

    private static string Header(string column, TimeZoneInfo zone) => column switch
    {
        "id" => "ID",
        "firstName" => "First Name",
        "lastName" => "Last Name",
        "email" => "Email",
        "company" => "Company",
        "lastActivity" => $"Last Activity ({(zone == TimeZoneInfo.Utc ? "UTC" : zone.Id)})",
        "type" => "Type",
        "lastUrl" => "Last URL",
        "store" => "Store",
        "sessions" => "Sessions",
        _ => throw new ArgumentOutOfRangeException(nameof(column), column, "Not an export column."),
    };

    private static string? Cell(string column, OnlineRow row, TimeZoneInfo zone) => column switch
    {
        "id" => row.CustomerId?.ToString(CultureInfo.InvariantCulture),
        "firstName" => row.FirstName,
        "lastName" => row.LastName,
        "email" => row.Email,
        "company" => row.Company,
        "lastActivity" => TimeZoneInfo.ConvertTime(row.LastActivity, zone).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        "type" => row.Type.ToString(),
        "lastUrl" => row.LastUrl,
        "store" => row.Store,
        "sessions" => row.SessionCount.ToString(CultureInfo.InvariantCulture),
        _ => throw new ArgumentOutOfRangeException(nameof(column), column, "Not an export column."),
    };
}
