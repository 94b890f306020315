using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace NowOnline.Web.Components.Grid;

/// <summary>
/// Watches the grid area's width (a ResizeObserver in app.js, reported only when it changed) so a phone, a tablet and a
/// narrow desktop window each get the layout that fits, and a turned phone or a resized window switches by itself.
/// </summary>
public sealed partial class GridArea
{
    private ElementReference _element;
    private DotNetObjectReference<GridArea>? _self;
    private double _width;

    [Inject] private IJSRuntime JS { get; set; } = default!;

    /// <summary>The admin's columns: the table's width depends on how many are shown.</summary>
    [Parameter] public GridColumns Columns { get; set; } = GridColumns.Default;

    [Parameter, EditorRequired] public RenderFragment<GridLayout> ChildContent { get; set; } = default!;

    private GridLayout Layout => GridFit.For(_width, Columns);

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender) return;
        _self = DotNetObjectReference.Create(this);
        try
        {
            _width = await JS.InvokeAsync<double>("nowOnline.watchWidth", _element, _self);
        }
        catch (JSException)
        {
            // No width from this browser: the CSS breakpoint keeps choosing.
            return;
        }

        if (Layout != GridLayout.Unknown) StateHasChanged();
    }

    /// <summary>Called from the browser when the area's width changed.</summary>
    [JSInvokable]
    public Task OnWidthChangedAsync(double width) => InvokeAsync(() =>
    {
        var before = Layout;
        _width = width;
        if (Layout != before) StateHasChanged();
    });

    public ValueTask DisposeAsync()
    {
        _self?.Dispose();
        return ValueTask.CompletedTask;
    }
}
