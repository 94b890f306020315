namespace NowOnline.Core.Ingestion;

/// <summary>The database could not be written; nothing of the batch was applied.</summary>
public sealed class StorageUnavailableException(string message, Exception inner) : Exception(message, inner);
