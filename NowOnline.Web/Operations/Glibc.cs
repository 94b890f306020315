using System.Runtime.InteropServices;

namespace NowOnline.Web.Operations;

/// <summary>
/// The two tuning calls of glibc's malloc, bound only where glibc is the C library (Linux, with <c>gnu_get_libc_version</c>
/// exported; musl and other systems have none of this and get <see langword="null"/> from <see cref="TryLoad"/>).
/// </summary>
internal sealed unsafe class Glibc
{
    private const int ArenaMaxParameter = -8; // M_ARENA_MAX in malloc.h

    private readonly delegate* unmanaged<int, int, int> _mallopt;
    private readonly delegate* unmanaged<nuint, int> _mallocTrim;

    private Glibc(nint mallopt, nint mallocTrim)
    {
        _mallopt = (delegate* unmanaged<int, int, int>)mallopt;
        _mallocTrim = (delegate* unmanaged<nuint, int>)mallocTrim;
    }

    /// <summary>The process's glibc, or <see langword="null"/> when the C library is another one (or not Linux).</summary>
    public static Glibc? TryLoad()
    {
        if (!OperatingSystem.IsLinux() || !NativeLibrary.TryLoad("libc.so.6", out var libc)) return null;
        return NativeLibrary.TryGetExport(libc, "gnu_get_libc_version", out _)
               && NativeLibrary.TryGetExport(libc, "mallopt", out var mallopt)
               && NativeLibrary.TryGetExport(libc, "malloc_trim", out var mallocTrim)
            ? new Glibc(mallopt, mallocTrim)
            : null;
    }

    /// <summary><c>mallopt(M_ARENA_MAX, most)</c>: threads share at most this many heaps from now on; true when accepted.</summary>
    public bool LimitArenas(int most) => _mallopt(ArenaMaxParameter, most) == 1;

    /// <summary><c>malloc_trim(0)</c>: gives the free pages of every arena back to the system; true when any was released.</summary>
    public bool Trim() => _mallocTrim(0) == 1;
}
