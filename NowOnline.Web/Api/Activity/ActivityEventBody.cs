using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace NowOnline.Web.Api.Activity;

// The wire shape of one event, for the OpenAPI document only: POST /api/activity reads the body itself
// (ActivityEventParser) so that it can name every bad field of every item of a batch.

/// <summary>One storefront event as sent to <c>POST /api/activity</c>.</summary>
[Description("One storefront event. Send one object, or an array of them as an all-or-nothing batch.")]
public sealed record ActivityEventBody(
    [property: Description("Optional id for de-duplication: an event whose id was already applied changes nothing."), MaxLength(ActivityEventParser.MaxIdLength)]
    string? EventId,
    [property: Description("login | register | logout | cart_add | cart_remove | cart_update | page_view (a page view does not refresh Last Activity)."), Required]
    string Type,
    [property: Description("The storefront session, 1-128 printable characters without spaces."), Required, MinLength(1), MaxLength(ActivityEventParser.MaxIdLength)]
    string SessionId,
    [property: Description("Required for login and register.")]
    ActivityCustomerBody? Customer,
    [property: Description("Absolute http(s) URL of the page the event happened on."), MaxLength(ActivityEventParser.MaxUrlLength)]
    string? Url,
    [property: Description("ISO 8601 with offset; default: the time received; at most 5 minutes in the future.")]
    DateTimeOffset? OccurredAt,
    [property: Description("Required for cart events.")]
    ActivityItemBody? Item,
    [property: Description("Storefront (website/store view) code."), MaxLength(ActivityEventParser.MaxStoreLength)]
    string? Store,
    [property: Description("The shopper's user agent; events from Presence:IgnoredUserAgents are counted and dropped."), MaxLength(ActivityEventParser.MaxUserAgentLength)]
    string? UserAgent);

/// <summary>The customer's profile on a login or register event.</summary>
public sealed record ActivityCustomerBody(
    [property: Description("Customer id, greater than 0."), Required, Range(1, long.MaxValue)] long Id,
    [property: MaxLength(ActivityEventParser.MaxNameLength)] string? FirstName,
    [property: MaxLength(ActivityEventParser.MaxNameLength)] string? LastName,
    [property: MaxLength(ActivityEventParser.MaxEmailLength)] string? Email,
    [property: MaxLength(ActivityEventParser.MaxNameLength)] string? Company);

/// <summary>The cart line of a cart event.</summary>
public sealed record ActivityItemBody(
    [property: Required, MaxLength(ActivityEventParser.MaxSkuLength)] string Sku,
    [property: MaxLength(ActivityEventParser.MaxNameLength)] string? Name,
    [property: Description("Quantity: at least 1 for cart_add, 0 or more for cart_update; ignored for cart_remove."), Range(0, ActivityEventParser.MaxQty)] int? Qty);
