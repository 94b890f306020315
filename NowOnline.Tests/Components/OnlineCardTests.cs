using Bunit;
using MudBlazor.Services;
using NowOnline.Core.Presence;
using NowOnline.Web.Components.Grid;

namespace NowOnline.Tests.Components;

/// <summary>One online row as a phone's card: what it shows, what the Columns choice hides, and how it opens.</summary>
public sealed class OnlineCardTests : BunitContext
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    private static readonly OnlineRow Ada = new("c:42", "s-ada", 42, "Ada", "Lovelace", "ada@example.com", "Analytical Ltd",
        Now.AddMinutes(-3), SessionType.Customer, "https://shop.example/checkout/cart?step=2", "default", 1);

    private static readonly OnlineRow Visitor = new("v:v-1", "v-1", null, null, null, null, null,
        Now.AddSeconds(-10), SessionType.Visitor, "https://shop.example/sale/boots.html", "fr", 1);

    public OnlineCardTests()
    {
        Services.AddMudServices();
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    private IRenderedComponent<OnlineCard> RenderCard(OnlineRow row, GridColumns? columns = null, Action<OnlineRow>? open = null,
        bool selected = false, bool changed = false) =>
        Render<OnlineCard>(p => p
            .Add(c => c.Row, row).Add(c => c.Now, Now).Add(c => c.Columns, columns ?? GridColumns.Default)
            .Add(c => c.Selected, selected).Add(c => c.Changed, changed).Add(c => c.DetailsId, "details-1")
            .Add(c => c.Open, open ?? (_ => { })));

    private static string Text(IRenderedComponent<OnlineCard> card, string testId) => card.Find($"[data-testid={testId}]").TextContent.Trim();

    private static string Squeezed(string text) => string.Join(' ', text.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries));

    [Fact]
    public void Customer_card_shows_name_id_type_time_and_where_with_email_company_and_store()
    {
        var card = RenderCard(Ada);

        Assert.Equal("Ada Lovelace", Text(card, "card-name"));
        Assert.Equal("#42", Text(card, "card-id"));
        Assert.Equal("Customer", Text(card, "card-type"));
        Assert.Equal("last activity 11:57:00 UTC 3 min ago", Squeezed(Text(card, "card-when")));
        Assert.Equal("Last URL /checkout/cart?step=2", Squeezed(Text(card, "card-url")));
        Assert.Equal("https://shop.example/checkout/cart?step=2", card.Find("[data-testid=card-url]").GetAttribute("title"));
        Assert.Equal("Email ada@example.com", Squeezed(Text(card, "card-email")));
        Assert.Equal("Company Analytical Ltd", Squeezed(Text(card, "card-company")));
        Assert.Equal("Store default", Squeezed(Text(card, "card-store")));
    }

    [Fact]
    public void Visitor_card_reads_visitor_once_and_leaves_out_what_a_visitor_has_not()
    {
        var card = RenderCard(Visitor);

        Assert.Equal("Visitor", Text(card, "card-name"));
        Assert.Empty(card.FindAll("[data-testid=card-type]"));
        Assert.Empty(card.FindAll("[data-testid=card-id]"));
        Assert.Empty(card.FindAll("[data-testid=card-email]"));
        Assert.Empty(card.FindAll("[data-testid=card-company]"));
        Assert.Equal("just now", Text(card, "ago"));
        Assert.Equal("Last URL /sale/boots.html", Squeezed(Text(card, "card-url")));
        Assert.Equal("Store fr", Squeezed(Text(card, "card-store")));
    }

    [Fact]
    public void The_columns_choice_decides_which_fields_the_card_shows()
    {
        var columns = new[] { "firstName", "lastName", "lastUrl", "email", "store" }.Aggregate(GridColumns.Default, (c, key) => c.Toggle(key));

        var card = RenderCard(Ada, columns);

        Assert.Equal("Customer 42", Text(card, "card-name"));
        Assert.Empty(card.FindAll("[data-testid=card-id]"));
        Assert.Empty(card.FindAll("[data-testid=card-url]"));
        Assert.Empty(card.FindAll("[data-testid=card-email]"));
        Assert.Empty(card.FindAll("[data-testid=card-store]"));
        Assert.Equal("Company Analytical Ltd", Squeezed(Text(card, "card-company")));
        Assert.Equal("Customer", Text(card, "card-type"));

        card.Render(p => p.Add(c => c.Columns, columns.Toggle("company").Toggle("type").Toggle("lastActivity")));

        Assert.Empty(card.FindAll("[data-testid=card-type]"));
        Assert.Empty(card.FindAll("[data-testid=card-when]"));
        Assert.Empty(card.FindAll(".card-details"));
        Assert.Null(card.Find("[data-testid=card-open]").GetAttribute("aria-describedby"));
    }

    [Fact]
    public void The_card_is_one_button_named_by_who_type_and_when_and_described_by_the_rest()
    {
        var card = RenderCard(Ada);

        var button = Assert.Single(card.FindAll("button"));
        Assert.Empty(card.FindAll("a, input, select, [tabindex]"));
        Assert.Equal("Ada Lovelace #42 Customer last activity 11:57:00 UTC 3 min ago", Squeezed(button.TextContent));
        Assert.Equal("details-1", button.GetAttribute("aria-describedby"));
        Assert.Equal("Last URL /checkout/cart?step=2 Email ada@example.com Company Analytical Ltd Store default",
            Squeezed(card.Find("#details-1").TextContent));
    }

    [Fact]
    public void Activating_the_card_opens_its_row_and_the_card_shows_it_is_open_and_changed()
    {
        OnlineRow? opened = null;
        var card = RenderCard(Ada, open: row => opened = row);
        Assert.Equal("false", card.Find("[data-testid=card-open]").GetAttribute("aria-expanded"));

        card.Find("[data-testid=card-open]").Click();

        Assert.Same(Ada, opened);
        card.Render(p => p.Add(c => c.Selected, true).Add(c => c.Changed, true));
        Assert.Equal("true", card.Find("[data-testid=card-open]").GetAttribute("aria-expanded"));
        Assert.Contains("card-selected", card.Find("[data-testid=card]").ClassList);
        Assert.Contains("card-changed", card.Find("[data-testid=card]").ClassList);
    }

    [Fact]
    public void Activity_of_another_day_shows_its_date_in_the_admins_time_zone()
    {
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        var card = Render<OnlineCard>(p => p
            .Add(c => c.Row, Ada with { LastActivity = new DateTimeOffset(2026, 11, 23, 22, 59, 0, TimeSpan.Zero) })
            .Add(c => c.Now, Now).Add(c => c.TimeZone, berlin));

        Assert.Equal("2026-11-23 23:59", card.Find(".last-activity").TextContent);

        card.Render(p => p.Add(c => c.Row, Ada with { LastActivity = new DateTimeOffset(2026, 11, 23, 23, 0, 0, TimeSpan.Zero) }));

        Assert.Equal("00:00:00", card.Find(".last-activity").TextContent);
    }
}
