using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace NowOnline.Web.Security;

/// <summary>Makes sure someone can sign in: creates the first admin from configuration, or explains what to set.</summary>
public static class FirstAdmin
{
    public const string DevelopmentEmail = "admin@nowonline.local";

    public static async Task EnsureAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        var accounts = services.GetRequiredService<AdminAccounts>();
        if (await accounts.AnyAsync(cancellationToken)) return;

        var options = services.GetRequiredService<IOptions<AdminOptions>>().Value;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(FirstAdmin).FullName!);
        var hasEmail = !string.IsNullOrWhiteSpace(options.Email);
        var hasPassword = !string.IsNullOrEmpty(options.Password);
        if (hasEmail && hasPassword)
        {
            var problem = AdminAccounts.ValidateEmail(options.Email) ?? AdminAccounts.ValidatePassword(options.Password);
            if (problem is not null) throw new AdminSetupException($"Admin:Email / Admin:Password: {problem}");
            try
            {
                await accounts.SetAsync(options.Email!, options.Password!, cancellationToken);
            }
            catch (Microsoft.EntityFrameworkCore.DbUpdateException)
            {
                // Nodes sharing one PostgreSQL database may start at once: the other one created it.
                if (await accounts.AnyAsync(cancellationToken)) return;
                throw;
            }

            // No email here: logs at Information and above carry no personal data (PRODUCT.md, Operations).
            logger.LogInformation("Created the first admin from Admin:Email and Admin:Password.");
            return;
        }

        if (services.GetRequiredService<IHostEnvironment>().IsDevelopment())
        {
            var email = hasEmail ? options.Email!.Trim() : DevelopmentEmail;
            if (AdminAccounts.ValidateEmail(email) is { } problem) throw new AdminSetupException($"Admin:Email: {problem}");
            var password = Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)).Replace('+', '-').Replace('/', '_');
            await accounts.SetAsync(email, password, cancellationToken);
            // Printed once: the hash is all that is stored. Reset it with "admin set" if it is lost.
            logger.LogWarning("No admin configured. Development admin for sign-in: {Email} / {Password} (shown only now).", email, password);
            return;
        }

        throw new AdminSetupException(
            "No admin exists and none is configured. Set Admin:Email and Admin:Password " +
            "(environment variables Admin__Email and Admin__Password) for the first start, or run " +
            "'dotnet run --project NowOnline.Web -- admin set --email you@example.com' once.");
    }
}

/// <summary>The app cannot start because nobody could sign in; the message says what to set.</summary>
public sealed class AdminSetupException(string message) : Exception(message);
