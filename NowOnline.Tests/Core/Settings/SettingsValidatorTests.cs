using NowOnline.Core.Settings;

namespace NowOnline.Tests.Core.Settings;

/// <summary>The one set of rules shared by the settings form and PUT /api/settings.</summary>
public sealed class SettingsValidatorTests
{
    [Theory]
    [InlineData(null, null)]
    [InlineData("", "")]
    [InlineData("   ", "\t")]
    public void Blank_fields_mean_the_defaults(string? interval, string? lifetime)
    {
        var result = SettingsValidator.Validate(new SettingsDraft(interval, lifetime));

        Assert.Equal(new OnlineSettings(15, 60), result.Settings);
        Assert.Empty(result.Errors);
    }

    [Theory]
    [InlineData("1", "1", 1, 1)]
    [InlineData("1440", "43200", 1440, 43200)]
    [InlineData(" 30 ", "007", 30, 7)]
    [InlineData("5", "", 5, 60)]
    public void Whole_numbers_within_the_bounds_are_accepted(string interval, string lifetime, int expectedInterval, int expectedLifetime)
    {
        var result = SettingsValidator.Validate(new SettingsDraft(interval, lifetime));

        Assert.Equal(new OnlineSettings(expectedInterval, expectedLifetime), result.Settings);
    }

    [Theory]
    [InlineData("0", "greater than zero")]
    [InlineData("000", "greater than zero")]
    [InlineData("-5", "greater than zero")]
    [InlineData("1.5", "whole number")]
    [InlineData("15,0", "whole number")]
    [InlineData("1e3", "whole number")]
    [InlineData("abc", "whole number")]
    [InlineData("+15", "whole number")]
    [InlineData("١٥", "whole number")]
    [InlineData("<script>alert(1)</script>", "whole number")]
    [InlineData("15; DROP TABLE Settings", "whole number")]
    [InlineData("1441", "at most 1440")]
    [InlineData("2147483648", "at most 1440")]
    [InlineData("99999999999999999999999999999", "at most 1440")]
    public void Bad_interval_is_refused_with_a_message_that_names_the_field_and_the_problem(string interval, string problem)
    {
        var result = SettingsValidator.Validate(new SettingsDraft(interval, "60"));

        Assert.False(result.IsValid);
        var message = Assert.Single(result.Errors[SettingsValidator.IntervalField]);
        Assert.StartsWith("Online Minutes Interval", message);
        Assert.Contains(problem, message);
        Assert.False(result.Errors.ContainsKey(SettingsValidator.LifetimeField));
    }

    [Theory]
    [InlineData("43201", "at most 43200")]
    [InlineData("0", "greater than zero")]
    [InlineData("sixty", "whole number")]
    public void Bad_lifetime_is_refused_with_a_message_that_names_the_field(string lifetime, string problem)
    {
        var message = Assert.Single(SettingsValidator.Validate(new SettingsDraft("15", lifetime)).Errors[SettingsValidator.LifetimeField]);

        Assert.StartsWith("Customer Data Lifetime", message);
        Assert.Contains(problem, message);
    }

    [Fact]
    public void Both_bad_fields_are_named_at_once()
    {
        var result = SettingsValidator.Validate(new SettingsDraft("x", "-1"));

        Assert.Equal([SettingsValidator.LifetimeField, SettingsValidator.IntervalField], result.Errors.Keys.Order(StringComparer.Ordinal));
        Assert.Null(result.Settings);
    }

    [Fact]
    public void Huge_input_is_refused_without_echoing_it_whole()
    {
        var huge = new string('9', 100_000);

        var message = Assert.Single(SettingsValidator.Validate(new SettingsDraft(huge, null)).Errors[SettingsValidator.IntervalField]);

        Assert.True(message.Length < 200, message);
    }
}
