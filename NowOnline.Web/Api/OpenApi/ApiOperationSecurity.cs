using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using NowOnline.Web.Security;

namespace NowOnline.Web.Api.OpenApi;

/// <summary>Each operation's security requirement and its 401 (and 403 for admin-only) replies, read from its policy.</summary>
public sealed class ApiOperationSecurity : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var policies = context.Description.ActionDescriptor.EndpointMetadata.OfType<IAuthorizeData>().Select(a => a.Policy).ToHashSet();
        var schemes = policies.Contains(SecurityPolicies.Admin) ? [ApiDocumentInfo.AdminScheme]
            : policies.Contains(ApiKeyDefaults.ReaderPolicy) ? [ApiDocumentInfo.ApiKeyScheme, ApiDocumentInfo.AdminScheme]
            : policies.Contains(ApiKeyDefaults.StorefrontPolicy) ? new[] { ApiDocumentInfo.ApiKeyScheme }
            : [];
        if (schemes.Length == 0) return Task.CompletedTask;

        // Alternatives: one requirement per scheme (either one is enough).
        operation.Security ??= [];
        foreach (var scheme in schemes)
            operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(scheme, context.Document)] = [] });

        operation.Responses ??= new OpenApiResponses();
        operation.Responses.TryAdd("401", Problem(context, "Missing or wrong storefront key, or not signed in."));
        if (policies.Contains(SecurityPolicies.Admin))
            operation.Responses.TryAdd("403", Problem(context, "Signed in, but not as an admin."));
        return Task.CompletedTask;
    }

    private static OpenApiResponse Problem(OpenApiOperationTransformerContext context, string description) => new()
    {
        Description = description,
        Content = new Dictionary<string, OpenApiMediaType>
        {
            ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference("ProblemDetails", context.Document) },
        },
    };
}
