using System.Buffers;

namespace NowOnline.Core.Ingestion;

/// <summary>
/// An <see cref="IBufferWriter{T}"/> over arrays from <see cref="ArrayPool{T}.Shared"/>: a batch's payloads are written into one
/// rented array, which the writer gives back once the batch is committed (<see cref="EventBatch.ReleasePayloads"/>).
/// The payloads were ~940 of the ~2,600 bytes allocated per event under wrk (a new array per batch that grew once, then
/// copied), the largest item of the allocation profile in bench/performance-notes.md ("Garbage per event").
/// </summary>
internal sealed class RentedBufferWriter(int initialBytes) : IBufferWriter<byte>
{
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(initialBytes, 256));

    /// <summary>The array written into (replaced when it grows: read it after the last write).</summary>
    public byte[] Buffer => _buffer;

    public int WrittenCount { get; private set; }

    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count > _buffer.Length - WrittenCount) throw new InvalidOperationException("Advanced past the end of the buffer.");
        WrittenCount += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsMemory(WrittenCount);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsSpan(WrittenCount);
    }

    private void Ensure(int sizeHint)
    {
        sizeHint = Math.Max(sizeHint, 1);
        if (_buffer.Length - WrittenCount >= sizeHint) return;
        var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, WrittenCount + sizeHint));
        _buffer.AsSpan(0, WrittenCount).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
    }
}
