using System.ComponentModel.DataAnnotations;

namespace NowOnline.Web.Api.Activity;

/// <summary>Configuration section <c>Ingestion</c>.</summary>
public sealed class IngestionOptions
{
    public const string Section = "Ingestion";

    /// <summary>Accepted storefront keys; several at once allow rotation.</summary>
    public string[] ApiKeys { get; set; } = [];

    [Range(1, 10_000)]
    public int MaxBatchSize { get; set; } = 1000;

    /// <summary>Events older than this (by occurredAt) are refused.</summary>
    [Range(1, 60 * 24 * 30)]
    public int MaxEventAgeMinutes { get; set; } = 60 * 24;

    /// <summary>Largest accepted request body, in bytes.</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public int MaxBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Requests each storefront key may make to POST /api/activity per window; more get 429 with Retry-After.</summary>
    [Range(1, 10_000_000)]
    public int RateLimitPermits { get; set; } = 6000;

    /// <summary>Length of the rate-limit window, in seconds.</summary>
    [Range(1, 3600)]
    public int RateLimitWindowSeconds { get; set; } = 60;
}
