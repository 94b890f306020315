using Scalar.AspNetCore;
using NowOnline.Web.Security;

namespace NowOnline.Web.Api.OpenApi;

/// <summary>
/// The OpenAPI document of every <c>/api</c> endpoint at <see cref="Path"/>, and an interactive reference
/// (Scalar) at <see cref="ReferencePath"/> for signed-in admins.
/// </summary>
public static class ApiDocument
{
    public const string Path = "/openapi/v1.json";
    /// <summary>The reference page (Scalar answers the path without the final slash with a redirect to it).</summary>
    public const string ReferencePath = "/api-reference";

    public static IServiceCollection AddApiDocument(this IServiceCollection services) => services.AddOpenApi(options =>
    {
        options.ShouldInclude = description => description.RelativePath?.StartsWith("api/", StringComparison.Ordinal) == true;
        options.AddDocumentTransformer<ApiDocumentInfo>();
        options.AddOperationTransformer<ApiOperationSecurity>();
        options.AddOperationTransformer<ApiExamples>();
    });

    /// <summary>
    /// The document is open like the HTTP contract it describes (tools and storefront developers fetch it without a
    /// sign-in); the reference page is for admins, and carries its own Content-Security-Policy (<see cref="ApiReferencePolicy"/>).
    /// </summary>
    public static IEndpointRouteBuilder MapApiDocument(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi(Path).AllowAnonymous().ExcludeFromDescription();
        app.MapScalarApiReference(ReferencePath, options => options
                .WithTitle("NowOnline API")
                .WithOpenApiRoutePattern(Path)
                .AddPreferredSecuritySchemes(ApiDocumentInfo.ApiKeyScheme)
                .WithNonce() // a fresh nonce per page, sent in the page's own policy by ApiReferencePolicy
                .DisableDefaultFonts() // no font host outside this site
                .DisableTelemetry()
                // Scalar 3 offers an AI chat, MCP and a developer toolbar that talk to Scalar's own servers: an admin's
                // API description stays on this site.
                .DisableAgent()
                .DisableMcp()
                .HideDeveloperTools())
            .RequireAuthorization(SecurityPolicies.Admin)
            .AddEndpointFilter(ApiReferencePolicy.Apply)
            // Scalar opens its script files to everyone; here they are for admins like the page (same-origin, cookie sent).
            .Finally(endpoint =>
            {
                foreach (var open in endpoint.Metadata.OfType<Microsoft.AspNetCore.Authorization.IAllowAnonymous>().ToList())
                    endpoint.Metadata.Remove(open);
            });
        return app;
    }
}
