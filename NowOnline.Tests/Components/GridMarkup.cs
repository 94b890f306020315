using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components;

namespace NowOnline.Tests.Components;

/// <summary>Reads the rendered grid the way the browser tests do: each row's key sits on its first cell.</summary>
internal static class GridMarkup
{
    public static IReadOnlyList<string?> RowKeys<T>(this IRenderedComponent<T> grid) where T : IComponent =>
        grid.FindAll("tbody td[data-key]").Select(td => td.GetAttribute("data-key")).ToList();

    public static IElement Row<T>(this IRenderedComponent<T> grid, string key) where T : IComponent =>
        grid.Find($"tbody td[data-key='{key}']").ParentElement!;

    /// <summary>The text of the row's column cells (without the leading details button cell).</summary>
    public static IReadOnlyList<string> Cells<T>(this IRenderedComponent<T> grid, string key) where T : IComponent =>
        grid.Row(key).QuerySelectorAll("td").Skip(1).Select(td => td.TextContent.Trim()).ToList();

    public static IReadOnlyList<string> HeaderTitles<T>(this IRenderedComponent<T> grid) where T : IComponent =>
        grid.FindAll("thead th[data-column] .column-title").Select(t => t.TextContent.Trim()).ToList();
}
