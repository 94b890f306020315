using MudBlazor;

namespace NowOnline.Web.Components.Layout;

/// <summary>
/// The admin's palette, light and dark. Every text colour is chosen for at least WCAG AA contrast (4.5:1) on the
/// surfaces it is drawn on, including the contrast texts of filled buttons, chips and snackbars; the grid relies on it.
/// </summary>
public static class AdminTheme
{
    // No outside font host (the admin may run without internet): the platform's own UI font.
    private static readonly string[] FontStack = ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"];

    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#1565c0", PrimaryContrastText = "#ffffff",          // 5.8:1 on white
            Secondary = "#6a1b9a", SecondaryContrastText = "#ffffff",
            Tertiary = "#00695c", TertiaryContrastText = "#ffffff",
            Info = "#0b63a6", InfoContrastText = "#ffffff",
            Success = "#2e7d32", SuccessContrastText = "#ffffff",
            Warning = "#a64b00", WarningContrastText = "#ffffff",
            Error = "#c62828", ErrorContrastText = "#ffffff",
            Dark = "#37474f", DarkContrastText = "#ffffff",
            Background = "#f4f6f8", BackgroundGray = "#eceff1", Surface = "#ffffff",
            AppbarBackground = "#1f2a33", AppbarText = "#ffffff",
            DrawerBackground = "#ffffff", DrawerText = "#1f2328", DrawerIcon = "#4a535d",
            TextPrimary = "#1f2328", TextSecondary = "#4f5863", TextDisabled = "rgba(0,0,0,0.45)",
            ActionDefault = "#4f5863",
            LinesDefault = "#d5dbe1", LinesInputs = "#767f8a", TableLines = "#e2e6ea", Divider = "#d5dbe1",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#90caf9", PrimaryContrastText = "#0b1a2a",          // 9.6:1 on the dark surface
            Secondary = "#ce93d8", SecondaryContrastText = "#1f0b24",
            Tertiary = "#80cbc4", TertiaryContrastText = "#0a201d",
            Info = "#81d4fa", InfoContrastText = "#08202b",
            Success = "#81c784", SuccessContrastText = "#0c200d",
            Warning = "#ffb74d", WarningContrastText = "#2a1800",
            Error = "#ef9a9a", ErrorContrastText = "#2b0b0b",
            Dark = "#cfd8dc", DarkContrastText = "#14181c",
            Black = "#0d1013", White = "#ffffff",
            Background = "#121417", BackgroundGray = "#181b1f", Surface = "#1e2227",
            AppbarBackground = "#1a1e23", AppbarText = "#e8eaed",
            DrawerBackground = "#181b1f", DrawerText = "#e8eaed", DrawerIcon = "#b8c0c8",
            TextPrimary = "#e8eaed", TextSecondary = "#b3bbc4", TextDisabled = "rgba(255,255,255,0.5)",
            ActionDefault = "#b3bbc4", ActionDisabled = "rgba(255,255,255,0.4)",
            LinesDefault = "#3a4149", LinesInputs = "#8d96a0", TableLines = "#323840", Divider = "#3a4149",
            TableHover = "rgba(255,255,255,0.06)",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography { FontFamily = FontStack },
            H1 = new H1Typography { FontFamily = FontStack },
            H2 = new H2Typography { FontFamily = FontStack },
            H3 = new H3Typography { FontFamily = FontStack },
            H4 = new H4Typography { FontFamily = FontStack },
            H5 = new H5Typography { FontFamily = FontStack },
            H6 = new H6Typography { FontFamily = FontStack },
            Button = new ButtonTypography { FontFamily = FontStack, TextTransform = "none" },
            Body1 = new Body1Typography { FontFamily = FontStack },
            Body2 = new Body2Typography { FontFamily = FontStack },
            Subtitle1 = new Subtitle1Typography { FontFamily = FontStack },
            Subtitle2 = new Subtitle2Typography { FontFamily = FontStack },
            Caption = new CaptionTypography { FontFamily = FontStack },
            Overline = new OverlineTypography { FontFamily = FontStack },
        },
    };
}
