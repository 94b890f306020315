namespace NowOnline.Web.Components.Grid;

/// <summary>How the online rows are shown: the table, one card per row, or (before the width is known) both, CSS choosing.</summary>
public enum GridLayout
{
    /// <summary>The grid's width is not known yet (prerender, or a browser that cannot say): the phone breakpoint decides in CSS.</summary>
    Unknown,
    Table,
    Cards,
}

/// <summary>
/// Picks the layout that fits the grid's area. The table wins when its columns fit side by side, and always from
/// <see cref="TableAlways"/> up: there it keeps its own sideways scroller for the widest column sets, as on any desktop.
/// Below that, a table that would need the scroller gives way to cards, which never scroll sideways.
/// </summary>
public static class GridFit
{
    /// <summary>From this width of the grid's area the table is shown whatever its columns need.</summary>
    public const int TableAlways = 900;

    /// <summary>The details button column of the table.</summary>
    private const int OpenColumn = 44;

    /// <summary>What each column usually takes in the table (px, padding included), read off the table of a busy shop at 1280 px.</summary>
    private static readonly Dictionary<string, int> Widths = new(StringComparer.Ordinal)
    {
        ["id"] = 72, ["firstName"] = 130, ["lastName"] = 130, ["email"] = 240, ["lastActivity"] = 170,
        ["type"] = 100, ["lastUrl"] = 240, ["company"] = 160, ["store"] = 100,
    };

    /// <summary>The width the table needs to show the admin's visible columns without its scroller.</summary>
    public static int TableWidth(GridColumns columns) =>
        OpenColumn + columns.Columns.Where(c => c.Visible).Sum(c => Widths.GetValueOrDefault(c.Key, 150));

    /// <summary>The layout for a grid area <paramref name="width"/> px wide; zero or less means not known.</summary>
    public static GridLayout For(double width, GridColumns columns) =>
        width <= 0 ? GridLayout.Unknown
        : width >= TableAlways || width >= TableWidth(columns) ? GridLayout.Table
        : GridLayout.Cards;
}
