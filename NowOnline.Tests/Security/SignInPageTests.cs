using System.Net;
using System.Text.RegularExpressions;
using NowOnline.Tests.Support;
using NowOnline.Web.Security;

namespace NowOnline.Tests.Security;

/// <summary>
/// The sign-in page is static HTML (no interactive component holds its form), and a browser whose sign-in was refused
/// gets the form back with a message and its e-mail, however it was refused. Emails here belong to no admin, so the
/// shared app's admin is never locked.
/// </summary>
[Collection(SharedApiApp.Name)]
public sealed partial class SignInPageTests(SharedApp shared)
{
    private TestApp App => shared.App;

    [Fact]
    public async Task Sign_in_form_is_outside_every_interactive_component_of_the_page()
    {
        using var client = App.CookieClient();
        var html = await client.GetStringAsync("/login");

        var form = html.IndexOf("action=\"account/login\"", StringComparison.Ordinal);
        Assert.True(form > 0, "no sign-in form on /login");
        // Blazor marks a prerendered interactive component with a start comment naming its prerenderId and an end
        // comment with the same id; the form must not sit between such a pair.
        var open = new Dictionary<string, int>();
        foreach (Match marker in ComponentMarker().Matches(html))
        {
            var id = marker.Groups["id"].Value;
            if (marker.Groups["start"].Success) open[id] = marker.Index;
            else if (open.Remove(id, out var start))
                Assert.False(start < form && form < marker.Index, "the sign-in form is rendered inside an interactive component");
        }

        Assert.DoesNotContain(open.Values, start => start < form);
    }

    [Fact]
    public async Task Refused_sign_in_from_a_browser_returns_to_the_form_with_the_email_kept_once_and_out_of_the_address()
    {
        using var client = BrowserLike();
        const string email = "nobody-kept@nowonline.test";

        var response = await PostAsync(client, email, "wrong-password-1", withToken: true);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!.OriginalString;
        Assert.StartsWith("/login?error=invalid", location);
        Assert.DoesNotContain("nobody", location);
        var page = await client.GetStringAsync(location);
        Assert.Contains($"value=\"{email}\"", page);
        Assert.Contains("The email or password is not correct.", page);
        Assert.DoesNotContain($"value=\"{email}\"", await client.GetStringAsync("/login"));
    }

    [Fact]
    public async Task Expired_token_from_a_browser_returns_to_the_form_saying_so_and_a_tool_gets_problem_details()
    {
        using var browser = BrowserLike();
        var response = await PostAsync(browser, "nobody-expired@nowonline.test", "whatever-1", withToken: false);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/login?error=expired", response.Headers.Location!.OriginalString);
        var page = await browser.GetStringAsync(response.Headers.Location!.OriginalString);
        Assert.Contains("had expired", page);
        Assert.Contains("value=\"nobody-expired@nowonline.test\"", page);

        using var tool = App.CookieClient();
        var refused = await PostAsync(tool, "nobody-expired@nowonline.test", "whatever-1", withToken: false);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType!.MediaType);
    }

    [Theory]
    [InlineData("", "", LoginFormReply.Missing, "Enter your email.", "Enter your password.")]
    [InlineData("nobody-blank@nowonline.test", "", LoginFormReply.MissingPassword, "Enter your password.", "Enter your email.")]
    [InlineData("   ", "x-password-1", LoginFormReply.MissingEmail, "Enter your email.", "Enter your password.")]
    public async Task Blank_fields_from_a_browser_return_with_a_message_under_each_blank_field(string email, string password, string error, string shown, string notShown)
    {
        using var client = BrowserLike();

        var response = await PostAsync(client, email, password, withToken: true);

        Assert.StartsWith($"/login?error={error}&", response.Headers.Location!.OriginalString);
        var page = await client.GetStringAsync(response.Headers.Location!.OriginalString);
        Assert.Contains(shown, page);
        if (shown != notShown && error != LoginFormReply.Missing) Assert.DoesNotContain(notShown, page);
    }

    [Theory]
    [InlineData("a\"><script>alert(1)</script>@x.com")]
    [InlineData("line\r\nbreak@x.com")]
    public async Task Hostile_email_is_kept_only_as_text_or_not_at_all(string email)
    {
        using var client = BrowserLike();

        var response = await PostAsync(client, email, "wrong-password-1", withToken: true);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var page = await client.GetStringAsync(response.Headers.Location!.OriginalString);
        Assert.DoesNotContain("<script>alert(1)", page);
        Assert.DoesNotContain("line\r\nbreak", page);
    }

    private HttpClient BrowserLike()
    {
        var client = App.CookieClient();
        client.DefaultRequestHeaders.Add("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
        return client;
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string email, string password, bool withToken)
    {
        var fields = new Dictionary<string, string> { ["email"] = email, ["password"] = password, ["returnUrl"] = "/customers/online" };
        if (withToken) fields["__RequestVerificationToken"] = await client.AntiforgeryTokenAsync();
        else await client.GetStringAsync("/login"); // the antiforgery cookie, as a page that sat open too long still has
        return await client.PostAsync("/account/login", new FormUrlEncodedContent(fields));
    }

    [GeneratedRegex("""<!--Blazor:\{(?<start>"type":"server",)?[^>]*?"prerenderId":"(?<id>[0-9a-f]+)"[^>]*-->""")]
    private static partial Regex ComponentMarker();
}
