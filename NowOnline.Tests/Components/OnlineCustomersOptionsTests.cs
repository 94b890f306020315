using Bunit;
using Bunit.TestDoubles;
using Microsoft.AspNetCore.Components;
using NowOnline.Core.Presence;
using NowOnline.Core.Settings;
using NowOnline.Tests.Support;
using NowOnline.Web.Components.Settings;
using MudBlazor;
using MudBlazor.Services;

namespace NowOnline.Tests.Components;

/// <summary>The Online Customers Options form, rendered with bunit against a real settings service on a SQLite file.</summary>
public sealed class OnlineCustomersOptionsTests : BunitContext
{
    private readonly CoreDatabase _database = new();
    private readonly FakeClock _clock = new();
    private readonly SettingsService _settings;
    private readonly IRenderedComponent<MudSnackbarProvider> _snackbars;
    private readonly LockableNavigationManager _navigation = new();

    public OnlineCustomersOptionsTests()
    {
        var tracker = TrackerFactory.Create(_clock);
        _settings = new SettingsService(_database.Contexts, tracker, _clock);
        _settings.LoadAsync().GetAwaiter().GetResult();
        Services.AddSingleton(tracker);
        Services.AddSingleton(_settings);
        Services.AddSingleton<TimeProvider>(_clock);
        Services.AddMudServices();
        Services.AddSingleton<NavigationManager>(_navigation);
        JSInterop.Mode = JSRuntimeMode.Loose;
        this.AddAuthorization().SetAuthorized("ada@example.com");
        _snackbars = Render<MudSnackbarProvider>();
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing) _database.Dispose();
    }

    private static void Type(IRenderedComponent<OnlineCustomersOptions> form, string field, string text) =>
        form.Find($"[data-testid={field}-input]").Input(text);

    private static void Save(IRenderedComponent<OnlineCustomersOptions> form) => form.Find("form[data-testid=settings-form]").Submit();

    [Fact]
    public void Form_shows_both_options_with_their_help_defaults_and_bounds()
    {
        var form = Render<OnlineCustomersOptions>();

        var interval = form.Find("[data-field=onlineMinutesInterval]");
        var lifetime = form.Find("[data-field=customerDataLifetime]");
        Assert.Contains("Online Minutes Interval", interval.TextContent);
        Assert.Contains("Leave blank for the default, 15 minutes", interval.TextContent);
        Assert.Contains("from 1 to 1440", interval.TextContent);
        Assert.Equal("15 (default)", form.Find("[data-testid=onlineMinutesInterval-input]").GetAttribute("placeholder"));
        Assert.Contains("Customer Data Lifetime (minutes)", lifetime.TextContent);
        Assert.Contains("Leave blank for the default, 60 minutes", lifetime.TextContent);
        Assert.Contains("from 1 to 43200", lifetime.TextContent);
        Assert.EndsWith("Save Config", form.Find("[data-testid=save-config]").TextContent.Trim());
    }

    [Theory]
    [InlineData("onlineMinutesInterval", "1.5", "Online Minutes Interval must be a whole number")]
    [InlineData("onlineMinutesInterval", "0", "Online Minutes Interval must be greater than zero")]
    [InlineData("customerDataLifetime", "50000", "Customer Data Lifetime must be at most 43200 minutes")]
    public void Bad_value_shows_an_inline_message_naming_what_is_wrong(string field, string text, string message)
    {
        var form = Render<OnlineCustomersOptions>();

        Type(form, field, text);

        Assert.Contains(message, form.Find($"#{field}-error").TextContent);
        Assert.Equal("true", form.Find($"[data-testid={field}-input]").GetAttribute("aria-invalid"));
    }

    [Fact]
    public void Invalid_form_saves_nothing_and_says_so()
    {
        var form = Render<OnlineCustomersOptions>();
        Type(form, "onlineMinutesInterval", "abc");

        Save(form);

        Assert.Equal(0, _settings.Current.Version);
        _snackbars.WaitForAssertion(() => Assert.Contains("nothing was saved", _snackbars.Find(".mud-alert-filled-error").TextContent));
    }

    [Fact]
    public void Save_config_saves_confirms_and_lists_the_change_in_the_history()
    {
        var form = Render<OnlineCustomersOptions>();
        Type(form, "onlineMinutesInterval", "5");
        Assert.NotEmpty(form.FindAll("[data-testid=settings-dirty]"));

        Save(form);

        form.WaitForAssertion(() => Assert.Single(form.FindAll("[data-testid=settings-history] tbody tr")));
        Assert.Equal(new OnlineSettings(5, 60), _settings.Current.Settings);
        _snackbars.WaitForAssertion(() => Assert.StartsWith("Configuration saved", Assert.Single(_snackbars.FindAll(".mud-snackbar")).TextContent.Trim()));
        Assert.NotEmpty(_snackbars.FindAll(".mud-alert-filled-success"));
        var row = form.Find("[data-testid=settings-history] tbody tr").TextContent;
        Assert.Contains("ada@example.com", row);
        Assert.Contains("15 → 5", row);
        Assert.Contains("60 (unchanged)", row);
        Assert.Empty(form.FindAll("[data-testid=settings-dirty]"));
    }

    [Fact]
    public async Task Blank_field_saves_the_default()
    {
        await _settings.SaveAsync(new OnlineSettings(30, 90), 0, "grace@example.com");
        var form = Render<OnlineCustomersOptions>();
        Type(form, "onlineMinutesInterval", "");

        Save(form);

        form.WaitForAssertion(() => Assert.Equal(new OnlineSettings(15, 90), _settings.Current.Settings));
        Assert.Equal("15", form.Find("[data-testid=onlineMinutesInterval-input]").GetAttribute("value"));
    }

    [Fact]
    public async Task Save_after_another_admin_saved_elsewhere_names_them_and_saves_nothing()
    {
        var form = Render<OnlineCustomersOptions>();
        // Another app instance on the same database: this page hears nothing of it until it saves.
        var elsewhere = new SettingsService(_database.Contexts, TrackerFactory.Create(_clock), _clock);
        await elsewhere.SaveAsync(new OnlineSettings(20, 60), 0, "grace@example.com");
        Type(form, "onlineMinutesInterval", "5");

        Save(form);

        form.WaitForAssertion(() => Assert.Contains("changed by grace@example.com", form.Find("[data-testid=settings-conflict]").TextContent));
        Assert.Contains("Reload to see their values", form.Find("[data-testid=settings-conflict]").TextContent);
        Assert.Equal(new OnlineSettings(20, 60), _settings.Current.Settings);

        form.Find("[data-testid=settings-reload]").Click();

        Assert.Equal("20", form.Find("[data-testid=onlineMinutesInterval-input]").GetAttribute("value"));
        Assert.Empty(form.FindAll("[data-testid=settings-conflict]"));
    }

    [Fact]
    public async Task Save_by_another_admin_shows_up_at_once_in_an_untouched_form()
    {
        var form = Render<OnlineCustomersOptions>();

        await _settings.SaveAsync(new OnlineSettings(25, 60), 0, "grace@example.com");

        form.WaitForAssertion(() => Assert.Equal("25", form.Find("[data-testid=onlineMinutesInterval-input]").GetAttribute("value")));
        Assert.Contains("grace@example.com", form.Find("[data-testid=settings-history]").TextContent);
    }

    [Fact]
    public async Task Save_by_another_admin_while_editing_warns_instead_of_overwriting_the_edit()
    {
        var form = Render<OnlineCustomersOptions>();
        Type(form, "onlineMinutesInterval", "5");

        await _settings.SaveAsync(new OnlineSettings(25, 60), 0, "grace@example.com");

        form.WaitForAssertion(() => Assert.Contains("grace@example.com", form.Find("[data-testid=settings-conflict]").TextContent));
        Assert.Equal("5", form.Find("[data-testid=onlineMinutesInterval-input]").GetAttribute("value"));
    }

    [Fact]
    public void Untouched_form_has_no_unsaved_changes_and_no_history()
    {
        var form = Render<OnlineCustomersOptions>();

        Assert.False(form.Instance.IsDirty);
        Assert.Contains("No changes yet", form.Find("[data-testid=settings-history]").TextContent);
    }

    [Fact]
    public void Edited_form_asks_the_browser_before_leaving_the_site_and_a_saved_one_does_not()
    {
        var form = Render<OnlineCustomersOptions>();
        Assert.DoesNotContain(JSInterop.Invocations, i => i.Identifier.EndsWith("enableNavigationPrompt", StringComparison.Ordinal));

        Type(form, "customerDataLifetime", "90");

        form.WaitForAssertion(() => Assert.Contains(JSInterop.Invocations, i => i.Identifier.EndsWith("enableNavigationPrompt", StringComparison.Ordinal)));
        Save(form);
        form.WaitForAssertion(() => Assert.Contains(JSInterop.Invocations, i => i.Identifier.EndsWith("disableNavigationPrompt", StringComparison.Ordinal)));
    }

    [Fact]
    public void Untouched_form_lets_the_admin_leave_without_asking()
    {
        var form = Render<OnlineCustomersOptions>();

        form.InvokeAsync(() => _navigation.NavigateTo("/customers/online"));

        form.WaitForAssertion(() => Assert.Equal("http://localhost/customers/online", _navigation.Uri));
        Assert.Null(_navigation.Failure);
        Assert.Empty(_navigation.Prevented);
    }
}
