using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using NowOnline.Web.Api.Activity;

namespace NowOnline.Web.Security;

/// <summary>Checks storefront keys against <c>Ingestion:ApiKeys</c> in constant time (several keys allow rotation).</summary>
public sealed class ApiKeyValidator
{
    private readonly byte[][] _keyHashes;

    public ApiKeyValidator(IOptions<IngestionOptions> options, IHostEnvironment environment, ILogger<ApiKeyValidator> logger)
    {
        var keys = options.Value.ApiKeys.Where(k => !string.IsNullOrWhiteSpace(k)).ToList();
        if (keys.Count == 0 && environment.IsDevelopment())
        {
            var generated = "dev-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
            keys.Add(generated);
            logger.LogWarning("No Ingestion:ApiKeys configured. Development storefront key for this run: {ApiKey}", generated);
        }
        else if (keys.Count == 0)
        {
            logger.LogWarning("No Ingestion:ApiKeys configured: every storefront request will be refused with 401.");
        }

        _keyHashes = keys.Select(Hash).ToArray();
    }

    public bool IsValid(string? presented)
    {
        if (string.IsNullOrEmpty(presented)) return false;
        var hash = Hash(presented);
        var match = false;
        // Compare against every key so timing does not tell which key (or how much of one) matched.
        foreach (var key in _keyHashes) match |= CryptographicOperations.FixedTimeEquals(hash, key);
        return match;
    }

    /// <summary>First 8 bytes of the key's SHA-256, in hex: tells keys apart without revealing them.</summary>
    public static string KeyId(string key) => Convert.ToHexString(Hash(key), 0, 8).ToLowerInvariant();

    private static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
