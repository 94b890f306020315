using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace NowOnline.Web.Security;

public static class SecurityRegistration
{
    /// <summary>
    /// Admin cookie (default scheme, used by pages) next to the storefront key scheme, and the policies:
    /// Storefront (key only), Reader (key or admin), Admin (admin only, also the default for [Authorize]).
    /// </summary>
    public static IServiceCollection AddNowOnlineSecurity(this IServiceCollection services)
    {
        services.AddOptions<AdminOptions>().BindConfiguration(AdminOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<AdminAccounts>();
        services.AddSingleton<EndedSignIns>();

        services.AddAuthentication(SecurityPolicies.AdminScheme)
            .AddCookie(SecurityPolicies.AdminScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyDefaults.Scheme, null);
        services.AddOptions<CookieAuthenticationOptions>(SecurityPolicies.AdminScheme)
            .Configure<IOptions<AdminOptions>>((cookie, admin) => AdminCookie.Configure(cookie, admin.Value));

        var admin = new AuthorizationPolicyBuilder(SecurityPolicies.AdminScheme)
            .RequireAuthenticatedUser()
            .RequireRole(SecurityPolicies.AdminRole)
            .Build();
        services.AddAuthorizationBuilder()
            .AddPolicy(ApiKeyDefaults.StorefrontPolicy, policy => policy
                .AddAuthenticationSchemes(ApiKeyDefaults.Scheme)
                .RequireAuthenticatedUser()
                .RequireRole(ApiKeyAuthenticationHandler.StorefrontRole))
            .AddPolicy(ApiKeyDefaults.ReaderPolicy, policy => policy
                .AddAuthenticationSchemes(ApiKeyDefaults.Scheme, SecurityPolicies.AdminScheme)
                .RequireAuthenticatedUser()
                .RequireRole(ApiKeyAuthenticationHandler.StorefrontRole, SecurityPolicies.AdminRole))
            .AddPolicy(SecurityPolicies.Admin, admin)
            .SetDefaultPolicy(admin);
        services.AddCascadingAuthenticationState();
        services.AddScoped<Microsoft.AspNetCore.Components.Authorization.AuthenticationStateProvider, AdminCircuitRevalidation>();
        return services;
    }
}
