using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;
using IPNetwork = System.Net.IPNetwork;

namespace NowOnline.Web.Proxy;

/// <summary>
/// Behind a TLS proxy: the forwarded client address, scheme and host of a trusted proxy (<see cref="ProxyOptions"/>)
/// become the request's own, so cookies are <c>Secure</c>, HSTS is sent, and logs name the client rather than nginx.
/// </summary>
public static class ProxySetup
{
    public static IServiceCollection AddTrustedProxies(this IServiceCollection services)
    {
        services.AddOptions<ProxyOptions>().BindConfiguration(ProxyOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ProxyOptions>>((forwarded, proxy) =>
        {
            // The framework trusts loopback out of the box; here only what ProxyOptions says is trusted.
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            // With both lists empty the middleware would believe anyone: then it reads no header at all.
            var trustsSomeone = proxy.Value.TrustLoopback || proxy.Value.KnownProxies.Length > 0 || proxy.Value.KnownNetworks.Length > 0;
            forwarded.ForwardedHeaders = trustsSomeone
                ? ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost
                : ForwardedHeaders.None;
            if (proxy.Value.TrustLoopback)
            {
                forwarded.KnownIPNetworks.Add(IPNetwork.Parse("127.0.0.0/8"));
                forwarded.KnownIPNetworks.Add(IPNetwork.Parse("::1/128"));
            }

            foreach (var address in proxy.Value.KnownProxies) forwarded.KnownProxies.Add(System.Net.IPAddress.Parse(address.Trim()));
            foreach (var network in proxy.Value.KnownNetworks) forwarded.KnownIPNetworks.Add(IPNetwork.Parse(network.Trim()));
            // Walk X-Forwarded-For back through every trusted hop (a CDN before nginx); the walk stops at the first
            // address that is not a trusted proxy, so a client cannot smuggle in an address of its choosing.
            forwarded.ForwardLimit = null;
        });
        // Secure over HTTPS like the sign-in cookie (AdminCookie); the framework's default never marks it Secure.
        services.Configure<AntiforgeryOptions>(antiforgery => antiforgery.Cookie.SecurePolicy = Microsoft.AspNetCore.Http.CookieSecurePolicy.SameAsRequest);
        return services;
    }

    /// <summary>First in the pipeline: everything after it (HSTS, cookies, logs) sees the client's view of the request.</summary>
    public static IApplicationBuilder UseTrustedProxies(this IApplicationBuilder app) => app.UseForwardedHeaders();
}
