namespace NowOnline.Core.Persistence;

/// <summary>Where the shared state lives (<c>Storage:Provider</c>).</summary>
public enum StorageProvider
{
    /// <summary>One node, one SQLite file (<c>ConnectionStrings:NowOnline</c> = <c>Data Source=…</c>).</summary>
    Sqlite,

    /// <summary>Several nodes on one PostgreSQL database (<c>ConnectionStrings:NowOnline</c> = an Npgsql connection string).</summary>
    PostgreSql,
}
