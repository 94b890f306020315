using System.Text.Json;

namespace NowOnline.Bench.Shared;

/// <summary>One measured figure next to its target. <see cref="Pass"/> is null when there is no target to meet.</summary>
public sealed record Figure(string Scenario, string Measured, string Target, bool? Pass, string Detail = "");

/// <summary>The figures of one tool run, written as JSON so the report step can put every tool's figures in one document.</summary>
public sealed record FigureSet(string Tool, string Mode, DateTimeOffset At, List<Figure> Figures, List<string> Notes)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public void Save(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, JsonSerializer.Serialize(this, Json));
    }

    public static FigureSet? Load(string path) =>
        File.Exists(path) ? JsonSerializer.Deserialize<FigureSet>(File.ReadAllText(path), Json) : null;
}
