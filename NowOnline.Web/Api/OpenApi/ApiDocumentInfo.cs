using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using NowOnline.Web.Security;

namespace NowOnline.Web.Api.OpenApi;

/// <summary>Title, description and the two ways to authenticate: the storefront key header and the admin cookie.</summary>
public sealed class ApiDocumentInfo : IOpenApiDocumentTransformer
{
    public const string ApiKeyScheme = "ApiKey";
    public const string AdminScheme = "AdminCookie";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info.Title = "NowOnline API";
        document.Info.Description =
            "Customers > Now Online as a service: the storefront reports what shoppers do (POST /api/activity), and tools read " +
            "who is online now. Bodies are JSON (camelCase); errors are RFC 7807 problem details with a message per bad field. " +
            "Timestamps are ISO 8601 with offset.";
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[ApiKeyScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = ApiKeyDefaults.HeaderName,
            Description = "A storefront key from Ingestion:ApiKeys.",
        };
        document.Components.SecuritySchemes[AdminScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Cookie,
            Name = SecurityPolicies.CookieName,
            Description = "The admin sign-in cookie (sign in at /login).",
        };
        return Task.CompletedTask;
    }
}
