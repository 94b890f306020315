namespace NowOnline.Core.Admins;

/// <summary>A person who may sign in to the admin. The password hash is produced by the web layer's hasher.</summary>
public sealed class AdminUser
{
    public long Id { get; set; }

    public required string Email { get; set; }

    /// <summary>Upper-cased, trimmed email: the unique sign-in name.</summary>
    public required string NormalizedEmail { get; set; }

    public required string PasswordHash { get; set; }

    /// <summary>Changes whenever the password is set, so cookies issued before a reset stop working.</summary>
    public required string SecurityStamp { get; set; }

    public int FailedSignIns { get; set; }

    public long? LockedUntilMs { get; set; }

    public long CreatedAtMs { get; set; }

    public static string Normalize(string email) => email.Trim().ToUpperInvariant();

    public bool IsLockedOut(DateTimeOffset now) => LockedUntilMs is { } until && until > now.ToUnixTimeMilliseconds();
}
