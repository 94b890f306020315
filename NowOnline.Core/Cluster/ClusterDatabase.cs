using Npgsql;

namespace NowOnline.Core.Cluster;

/// <summary>The cluster's PostgreSQL database (<c>ConnectionStrings:NowOnline</c>), as the event log's parts open it.</summary>
public sealed class ClusterDatabase(string connectionString)
{
    public string ConnectionString { get; } = connectionString;

    public async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        var connection = new NpgsqlConnection(ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Forgets the idle pooled connections (broken after a server restart), so the next open makes a fresh one.</summary>
    public void ClearPool()
    {
        using var connection = new NpgsqlConnection(ConnectionString);
        NpgsqlConnection.ClearPool(connection);
    }

    /// <summary>
    /// Drops a connection after a failure, and the idle ones of its pool: after a server restart they are all broken,
    /// and the next open should not hand one out.
    /// </summary>
    public static async Task DropAsync(NpgsqlConnection? connection)
    {
        if (connection is null) return;
        try
        {
            NpgsqlConnection.ClearPool(connection);
            await connection.DisposeAsync();
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or IOException)
        {
            // Closing a connection whose server went away must not take its owner down.
        }
    }
}
