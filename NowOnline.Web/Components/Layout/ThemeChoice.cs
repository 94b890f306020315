namespace NowOnline.Web.Components.Layout;

/// <summary>The admin's theme: the browser's <c>prefers-color-scheme</c> until they pick light or dark.</summary>
public enum ThemeChoice
{
    System,
    Light,
    Dark,
}
