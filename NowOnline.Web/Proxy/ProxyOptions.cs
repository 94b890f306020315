using System.ComponentModel.DataAnnotations;
using System.Net;

namespace NowOnline.Web.Proxy;

/// <summary>
/// Configuration section <c>Proxy</c>: the reverse proxies (nginx) whose <c>X-Forwarded-For</c>, <c>-Proto</c> and
/// <c>-Host</c> the app believes. A request from any other address keeps its own socket address, scheme and host.
/// </summary>
public sealed class ProxyOptions : IValidatableObject
{
    public const string Section = "Proxy";

    /// <summary>Proxy addresses, e.g. <c>10.0.0.5</c> or <c>2001:db8::5</c>.</summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>Proxy networks in CIDR notation, e.g. <c>10.0.0.0/24</c>.</summary>
    public string[] KnownNetworks { get; set; } = [];

    /// <summary>A proxy on the same machine (127.0.0.0/8, ::1) is trusted unless this is false.</summary>
    public bool TrustLoopback { get; set; } = true;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        for (var i = 0; i < KnownProxies.Length; i++)
            if (!IPAddress.TryParse(KnownProxies[i]?.Trim(), out _))
                yield return new ValidationResult(
                    $"{Section}:{nameof(KnownProxies)}:{i} is '{KnownProxies[i]}'; it must be an IP address such as 10.0.0.5.",
                    [nameof(KnownProxies)]);
        for (var i = 0; i < KnownNetworks.Length; i++)
            if (!IPNetwork.TryParse(KnownNetworks[i]?.Trim(), out _))
                yield return new ValidationResult(
                    $"{Section}:{nameof(KnownNetworks)}:{i} is '{KnownNetworks[i]}'; it must be a network in CIDR notation such as 10.0.0.0/24.",
                    [nameof(KnownNetworks)]);
    }
}
