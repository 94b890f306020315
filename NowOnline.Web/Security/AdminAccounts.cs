using System.Net.Mail;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NowOnline.Core.Admins;
using NowOnline.Core.Persistence;

namespace NowOnline.Web.Security;

/// <summary>
/// Admin accounts: password check with lockout, add or reset. Passwords are hashed with the framework's
/// <see cref="PasswordHasher{TUser}"/> (PBKDF2); it lives here because Core does not reference ASP.NET Core.
/// </summary>
public sealed class AdminAccounts(IDbContextFactory<NowOnlineDb> databases, IOptions<AdminOptions> options, TimeProvider clock,
    ILogger<AdminAccounts> logger)
{
    private static readonly PasswordHasher<AdminUser> Hasher = new();
    private static readonly AdminUser Nobody = new() { Email = "", NormalizedEmail = "", PasswordHash = "", SecurityStamp = "" };
    private static readonly string NobodyHash = Hasher.HashPassword(Nobody, Guid.NewGuid().ToString());

    // Sign-ins are rare; one at a time keeps the failure counter exact and slows guessing a little more.
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task<AdminSignInResult> SignInAsync(string email, string password, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await using var db = await databases.CreateDbContextAsync(cancellationToken);
            var normalized = AdminUser.Normalize(email);
            var admin = await db.AdminUsers.SingleOrDefaultAsync(a => a.NormalizedEmail == normalized, cancellationToken);
            var now = clock.GetUtcNow();
            if (admin is null)
            {
                // Same work as for a real account, so timing does not tell which emails exist.
                Hasher.VerifyHashedPassword(Nobody, NobodyHash, password);
                return AdminSignInResult.Failed;
            }

            if (admin.IsLockedOut(now)) return AdminSignInResult.Locked(DateTimeOffset.FromUnixTimeMilliseconds(admin.LockedUntilMs!.Value));

            var verdict = Hasher.VerifyHashedPassword(admin, admin.PasswordHash, password);
            if (verdict == PasswordVerificationResult.Failed)
            {
                var limits = options.Value;
                admin.FailedSignIns++;
                if (admin.FailedSignIns >= limits.MaxFailedSignIns)
                {
                    var until = now.AddMinutes(limits.LockoutMinutes);
                    admin.LockedUntilMs = until.ToUnixTimeMilliseconds();
                    admin.FailedSignIns = 0;
                    await db.SaveChangesAsync(cancellationToken);
                    logger.LogWarning("Admin #{AdminId} locked until {Until} after {Count} failed sign-ins.", admin.Id, until, limits.MaxFailedSignIns);
                    return AdminSignInResult.Locked(until);
                }

                await db.SaveChangesAsync(cancellationToken);
                return AdminSignInResult.Failed;
            }

            if (verdict == PasswordVerificationResult.SuccessRehashNeeded) admin.PasswordHash = Hasher.HashPassword(admin, password);
            admin.FailedSignIns = 0;
            admin.LockedUntilMs = null;
            await db.SaveChangesAsync(cancellationToken);
            return AdminSignInResult.Success(admin);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<bool> AnyAsync(CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        return await db.AdminUsers.AnyAsync(cancellationToken);
    }

    /// <summary>True while the admin exists and its password has not been reset since the cookie was issued.</summary>
    public async Task<bool> IsCurrentAsync(long id, string stamp, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        return await db.AdminUsers.AnyAsync(a => a.Id == id && a.SecurityStamp == stamp, cancellationToken);
    }

    /// <summary>Adds the admin, or sets a new password (and lifts a lockout) when the email exists. Returns true when added.</summary>
    public async Task<bool> SetAsync(string email, string password, CancellationToken cancellationToken)
    {
        if (ValidateEmail(email) is { } emailProblem) throw new ArgumentException(emailProblem, nameof(email));
        if (ValidatePassword(password) is { } passwordProblem) throw new ArgumentException(passwordProblem, nameof(password));

        await _gate.WaitAsync(cancellationToken);
        try
        {
            await using var db = await databases.CreateDbContextAsync(cancellationToken);
            var normalized = AdminUser.Normalize(email);
            var admin = await db.AdminUsers.SingleOrDefaultAsync(a => a.NormalizedEmail == normalized, cancellationToken);
            var added = admin is null;
            admin ??= db.AdminUsers.Add(new AdminUser
            {
                Email = email.Trim(), NormalizedEmail = normalized, PasswordHash = "", SecurityStamp = "",
                CreatedAtMs = clock.GetUtcNow().ToUnixTimeMilliseconds(),
            }).Entity;
            admin.PasswordHash = Hasher.HashPassword(admin, password);
            admin.SecurityStamp = Guid.NewGuid().ToString("N");
            admin.FailedSignIns = 0;
            admin.LockedUntilMs = null;
            await db.SaveChangesAsync(cancellationToken);
            return added;
        }
        finally
        {
            _gate.Release();
        }
    }

    public static string? ValidateEmail(string? email)
    {
        if (string.IsNullOrWhiteSpace(email)) return "The admin email is required.";
        var trimmed = email.Trim();
        if (trimmed.Length > 254) return "The admin email is longer than 254 characters.";
        if (!MailAddress.TryCreate(trimmed, out var address) || address.Address != trimmed || !trimmed.Contains('.', StringComparison.Ordinal))
            return $"'{trimmed}' is not a valid email address.";
        return null;
    }

    public static string? ValidatePassword(string? password)
    {
        if (string.IsNullOrEmpty(password)) return "The admin password is required.";
        if (password.Length < AdminOptions.MinPasswordLength) return $"The admin password must be at least {AdminOptions.MinPasswordLength} characters long.";
        if (password.Length > AdminOptions.MaxPasswordLength) return $"The admin password must be at most {AdminOptions.MaxPasswordLength} characters long.";
        if (password.Any(char.IsControl)) return "The admin password must not contain control characters.";
        return null;
    }
}

/// <summary>The outcome of one sign-in attempt.</summary>
public sealed record AdminSignInResult(AdminUser? Admin, DateTimeOffset? LockedUntil)
{
    public static AdminSignInResult Failed { get; } = new(null, null);

    public static AdminSignInResult Success(AdminUser admin) => new(admin, null);

    public static AdminSignInResult Locked(DateTimeOffset until) => new(null, until);

    public bool Succeeded => Admin is not null;
}
