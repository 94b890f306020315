using System.Text.Json;

namespace NowOnline.Web.Components.Grid;

/// <summary>One column of the Now Online grid as the admin arranged it.</summary>
public sealed record GridColumn(string Key, string Title, bool Visible);

/// <summary>
/// The admin's column visibility and order. Stored in the browser as JSON; anything unknown or missing in a
/// stored layout falls back to the default, so a new column shows up and a renamed one is never lost.
/// </summary>
public sealed record GridColumns(IReadOnlyList<GridColumn> Columns)
{
    public static readonly GridColumns Default = new([
        new("id", "ID", true), new("firstName", "First Name", true), new("lastName", "Last Name", true),
        new("email", "Email", true), new("lastActivity", "Last Activity", true), new("type", "Type", true),
        new("lastUrl", "Last URL", true), new("company", "Company", true), new("store", "Store", true),
    ]);

    public bool IsVisible(string key) => Columns.FirstOrDefault(c => c.Key == key)?.Visible ?? true;

    public int OrderOf(string key) => Columns.ToList().FindIndex(c => c.Key == key);

    public bool IsDefault => Columns.SequenceEqual(Default.Columns);

    public GridColumns Toggle(string key) =>
        // The last visible column stays: a grid without columns helps nobody.
        Columns.Count(c => c.Visible) == 1 && IsVisible(key)
            ? this
            : new(Columns.Select(c => c.Key == key ? c with { Visible = !c.Visible } : c).ToList());

    public GridColumns Move(string key, int by)
    {
        var list = Columns.ToList();
        var from = list.FindIndex(c => c.Key == key);
        var to = from + by;
        if (from < 0 || to < 0 || to >= list.Count) return this;
        var column = list[from];
        list.RemoveAt(from);
        list.Insert(to, column);
        return new(list);
    }

    public string ToJson() => JsonSerializer.Serialize(Columns.Select(c => new Stored(c.Key, c.Visible)));

    public static GridColumns FromJson(string? json)
    {
        if (string.IsNullOrWhiteSpace(json)) return Default;
        List<Stored>? stored;
        try
        {
            stored = JsonSerializer.Deserialize<List<Stored>>(json);
        }
        catch (JsonException)
        {
            return Default;
        }

        var known = Default.Columns.ToDictionary(c => c.Key);
        var result = new List<GridColumn>();
        foreach (var s in stored ?? [])
            if (s?.Key is { } key && known.Remove(key, out var column)) result.Add(column with { Visible = s.Visible });
        result.AddRange(known.Values.OrderBy(c => Default.OrderOf(c.Key)));
        return result.Any(c => c.Visible) ? new(result) : Default;
    }

    private sealed record Stored(string Key, bool Visible);
}
