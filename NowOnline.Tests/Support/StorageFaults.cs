using System.Diagnostics;

namespace NowOnline.Tests.Support;

/// <summary>
/// Breaks the disk under a running app. Tests run as root, so file modes do not stop writes: a read-only file is made
/// with <c>chattr +i</c> in the temp folder (needs CAP_LINUX_IMMUTABLE and ext2/3/4, xfs or btrfs there: tried on a tmpfs,
/// the running app's writes went on) and a full disk with a small tmpfs the test mounts (needs CAP_SYS_ADMIN). Each is
/// probed once. Outside CI a machine that cannot make the fault skips the test and says why; with CI=true (.ci/run sets
/// it) the test runs and fails with what the machine lacks, so CI never passes without the fault paths.
/// </summary>
public static class StorageFaults
{
    private static readonly Lazy<string?> ImmutableProblem = new(ProbeImmutable);
    private static readonly Lazy<string?> TmpfsProblem = new(ProbeTmpfs);

    public static string? CannotMakeImmutable => ImmutableProblem.Value;

    public static string? CannotMountTmpfs => TmpfsProblem.Value;

    /// <summary>True under CI (CI=true), where a fault test must run, not skip.</summary>
    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Fails the test, naming what the machine lacks, when it cannot make the fault (<paramref name="problem"/>).</summary>
    public static void Require(string? problem)
    {
        if (problem is not null)
            Assert.Fail($"This machine cannot make the storage fault this test needs: {problem}. Run the tests as root with CAP_SYS_ADMIN and " +
                        "CAP_LINUX_IMMUTABLE (a privileged container) and the temp folder on ext4, xfs or btrfs, as .ci/run expects.");
    }

    public static void SetImmutable(bool immutable, IEnumerable<string> files)
    {
        foreach (var file in files.Where(File.Exists)) Run("chattr", immutable ? "+i" : "-i", file);
    }

    /// <summary>
    /// The database file and its WAL. Not the -shm file: SQLite maps it into memory, and a write through the mapping of
    /// an immutable file is a SIGBUS that kills the process instead of an error SQLite could report.
    /// </summary>
    public static string[] DatabaseFiles(string databasePath) => [databasePath, databasePath + "-wal"];

    public static TmpfsMount MountTmpfs(string folder, int megabytes)
    {
        Directory.CreateDirectory(folder);
        Run("mount", "-t", "tmpfs", "-o", $"size={megabytes}m", "tmpfs", folder);
        return new TmpfsMount(folder);
    }

    internal static void Run(string file, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed: {error.Trim()}");
    }

    private static string? ProbeImmutable()
    {
        var folder = Path.Combine(Path.GetTempPath(), "nowonline-tests", "probe-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, "probe");
        File.WriteAllText(file, "x");
        try
        {
            Run("chattr", "+i", file);
            try
            {
                File.AppendAllText(file, "y");
                return "chattr +i did not stop a write on this file system";
            }
            catch (UnauthorizedAccessException)
            {
                return null;
            }
            catch (IOException)
            {
                return null;
            }
            finally
            {
                Run("chattr", "-i", file);
            }
        }
        catch (Exception ex)
        {
            return "chattr +i is not possible here: " + ex.Message;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string? ProbeTmpfs()
    {
        var folder = Path.Combine(Path.GetTempPath(), "nowonline-tests", "probe-" + Guid.NewGuid().ToString("N"));
        try
        {
            using (MountTmpfs(folder, 1)) return null;
        }
        catch (Exception ex)
        {
            return "mounting a tmpfs is not possible here: " + ex.Message;
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }
}

/// <summary>A small tmpfs, unmounted on dispose.</summary>
public sealed class TmpfsMount(string path) : IDisposable
{
    public string Path { get; } = path;

    /// <summary>Writes a file until the file system is full; delete it to give the space back.</summary>
    public string Fill()
    {
        var filler = System.IO.Path.Combine(Path, "filler");
        using var stream = new FileStream(filler, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.None);
        var block = new byte[4096];
        try
        {
            while (true) stream.Write(block);
        }
        catch (IOException)
        {
            // No space left on device: the point.
        }

        return filler;
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            StorageFaults.Run("umount", Path);
        }
        catch (InvalidOperationException)
        {
            StorageFaults.Run("umount", "-l", Path);
        }
    }
}

/// <summary>
/// A fact that needs <c>chattr +i</c>: outside CI skipped with the reason where the machine does not allow it;
/// under CI it runs (and <see cref="StorageFaults.Require"/> fails it with the reason).
/// </summary>
public sealed class ImmutableFileFactAttribute : FactAttribute
{
    public ImmutableFileFactAttribute()
    {
        if (!StorageFaults.InCi && StorageFaults.CannotMakeImmutable is { } why) Skip = why;
    }
}

/// <summary>A fact that needs a tiny tmpfs: skipped outside CI where the machine does not allow it, failed under CI.</summary>
public sealed class TmpfsFactAttribute : FactAttribute
{
    public TmpfsFactAttribute()
    {
        if (!StorageFaults.InCi && StorageFaults.CannotMountTmpfs is { } why) Skip = why;
    }
}
