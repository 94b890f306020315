using System.ComponentModel.DataAnnotations;

namespace NowOnline.Web.Observability;

/// <summary>Configuration section <c>Metrics</c>.</summary>
public sealed class MetricsOptions
{
    public const string Section = "Metrics";
    public const string Path = "/metrics";

    /// <summary>Serves <c>/metrics</c> (Prometheus text). Unset: on in Development, off otherwise.</summary>
    public bool? Enabled { get; set; }

    /// <summary>When set, <c>/metrics</c> is served only on this port (and nothing else is); unset: on the app's own port.</summary>
    [Range(1, 65535)]
    public int? Port { get; set; }
}
