using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace NowOnline.Web.Api.OpenApi;

/// <summary>
/// What the handlers read by hand and the generator cannot see: the activity body as "one event or an array", the
/// query parameters of <c>GET /api/online</c>, and examples of the main requests and replies.
/// </summary>
public sealed class ApiExamples : IOpenApiOperationTransformer
{
    private const string Json = "application/json";

    private static readonly (string Name, string Description)[] OnlineParameters =
    [
        ("search", "Text searched in id, names, email, company and last URL."),
        ("type", "Customer or Visitor."),
        ("sort", "Field and direction, e.g. lastActivity:desc (default), email:asc. Fields: lastActivity, id, firstName, lastName, email, company, type, lastUrl, store."),
        ("skip", "Rows to skip (default 0)."),
        ("take", "Rows to return (default 50)."),
        ("idFrom", "Lowest customer id."),
        ("idTo", "Highest customer id."),
        ("firstName", "First name contains."),
        ("lastName", "Last name contains."),
        ("email", "Email contains."),
        ("company", "Company contains."),
        ("lastUrl", "Last URL contains."),
        ("store", "Storefront code."),
        ("activityFrom", "Last activity at or after (ISO 8601 with offset)."),
        ("activityTo", "Last activity at or before (ISO 8601 with offset)."),
        ("activityWithin", "Last activity within this many minutes."),
    ];

    // Bodies are described here, not with .Accepts<T>(): that adds content-type matching to routing, which would answer
    // 415 itself instead of the handler's readable problem details.
    private static readonly Dictionary<string, Type> Bodies = new()
    {
        ["PostActivity"] = typeof(Activity.ActivityEventBody),
        ["PutSettings"] = typeof(Settings.SettingsBody),
        ["PutSessionData"] = typeof(Dictionary<string, System.Text.Json.JsonElement>),
    };

    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (operation.OperationId is { } id && Bodies.TryGetValue(id, out var bodyType))
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    [Json] = new() { Schema = await context.GetOrCreateSchemaAsync(bodyType, null, cancellationToken) },
                },
            };

        switch (operation.OperationId)
        {
            case "PostActivity":
                if (RequestMedia(operation) is { Schema: { } single } media)
                {
                    media.Schema = new OpenApiSchema { OneOf = [single, new OpenApiSchema { Type = JsonSchemaType.Array, Items = single, MinItems = 1 }] };
                    media.Example = JsonNode.Parse("""
                        [{ "eventId": "8f0c2d1e", "type": "login", "sessionId": "s-123",
                           "customer": { "id": 42, "firstName": "Ada", "lastName": "Lovelace", "email": "ada@example.com", "company": "Analytical Ltd" },
                           "url": "https://shop.example/customer/account", "occurredAt": "2026-11-22T11:00:00Z", "store": "default" },
                         { "eventId": "8f0c2d1f", "type": "cart_add", "sessionId": "s-123",
                           "item": { "sku": "WB-01", "name": "Water bottle", "qty": 2 }, "url": "https://shop.example/checkout/cart" }]
                        """);
                }

                ReplyExample(operation, "202", """{ "accepted": 2, "duplicates": 0, "ignored": 0 }""");
                break;
            case "GetOnline":
                operation.Parameters ??= [];
                foreach (var (name, description) in OnlineParameters)
                    operation.Parameters.Add(new OpenApiParameter
                    {
                        Name = name, In = ParameterLocation.Query, Description = description, Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                    });
                ReplyExample(operation, "200", """
                    { "total": 1, "items": [ { "key": "c:42", "sessionId": "s-123", "id": 42, "firstName": "Ada", "lastName": "Lovelace",
                      "email": "ada@example.com", "company": "Analytical Ltd", "lastActivity": "2026-11-22T11:00:00+00:00", "type": "Customer",
                      "lastUrl": "https://shop.example/checkout/cart", "store": "default", "sessions": 1 } ] }
                    """);
                break;
            case "GetSettings":
                ReplyExample(operation, "200", """{ "onlineMinutesInterval": 15, "customerDataLifetime": 60, "version": 3 }""");
                break;
            case "PutSettings":
                if (RequestMedia(operation) is { } settings)
                    settings.Example = JsonNode.Parse("""{ "onlineMinutesInterval": 20, "customerDataLifetime": null, "version": 3 }""");
                break;
            case "PutSessionData":
                if (RequestMedia(operation) is { } data)
                    data.Example = JsonNode.Parse("""{ "checkoutDraft": { "street": "1 Main St", "note": "Ring twice" } }""");
                break;
            case "GetSession":
                ReplyExample(operation, "200", """{ "online": true, "type": "Customer", "expiresAt": "2026-11-22T11:15:00+00:00" }""");
                break;
        }
    }

    private static OpenApiMediaType? RequestMedia(OpenApiOperation operation) =>
        operation.RequestBody?.Content is { } content && content.TryGetValue(Json, out var media) ? media : null;

    private static void ReplyExample(OpenApiOperation operation, string status, string json)
    {
        if (operation.Responses?.TryGetValue(status, out var response) == true && response.Content?.TryGetValue(Json, out var media) == true)
            media.Example = JsonNode.Parse(json);
    }
}
