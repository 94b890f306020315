using System.ComponentModel.DataAnnotations;

namespace NowOnline.Web.Security;

/// <summary>Configuration section <c>Admin</c>: the first admin and the sign-in rules.</summary>
public sealed class AdminOptions
{
    public const string Section = "Admin";
    public const int MinPasswordLength = 10;
    public const int MaxPasswordLength = 256;

    /// <summary>Email of the first admin, created at start when no admin exists.</summary>
    public string? Email { get; set; }

    /// <summary>Password of the first admin; only read when no admin exists yet.</summary>
    public string? Password { get; set; }

    /// <summary>Failed sign-ins in a row that lock the account.</summary>
    [Range(1, 100)]
    public int MaxFailedSignIns { get; set; } = 5;

    /// <summary>How long a locked account refuses every sign-in.</summary>
    [Range(1, 24 * 60)]
    public int LockoutMinutes { get; set; } = 15;

    /// <summary>How long a sign-in lasts without activity (sliding).</summary>
    [Range(5, 7 * 24 * 60)]
    public int SessionMinutes { get; set; } = 8 * 60;

    /// <summary>How often an open page re-checks that its admin still exists with the same password.</summary>
    [Range(1, 3600)]
    public int RevalidateSeconds { get; set; } = 5;
}
