using System.ComponentModel.DataAnnotations;

namespace NowOnline.Web.Simulator;

/// <summary>Configuration section <c>Simulator</c>: built-in storefront traffic for demos.</summary>
public sealed class SimulatorOptions
{
    public const string Section = "Simulator";

    /// <summary>On or off; when not set, on in Development only.</summary>
    public bool? Enabled { get; set; }

    /// <summary>How many shoppers are browsing at the same time.</summary>
    [Range(1, 100_000)]
    public int Shoppers { get; set; } = 60;

    [Range(0.1, 100_000)]
    public double EventsPerSecond { get; set; } = 4;
}
