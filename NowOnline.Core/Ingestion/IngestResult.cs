namespace NowOnline.Core.Ingestion;

/// <summary>What became of a submitted batch once it was durably committed.</summary>
public sealed record IngestResult(int Accepted, int Duplicates, int Ignored);
