using System.Text;

namespace NowOnline.Load;

/// <summary>
/// Prepared request bodies whose event ids are rewritten for every request, so no request ever repeats an id: a repeated
/// id is answered as a duplicate, which is cheaper than storing a new event and would inflate the figure. Each body's
/// ids are 32 hex characters (<c>Guid.ToString("N")</c>); request <c>n</c> writes <c>{salt:x8}{n:x20}{event:x4}</c> over them.
/// </summary>
public sealed class UniqueBodies
{
    private static readonly byte[] Marker = Encoding.UTF8.GetBytes("\"eventId\":\"");
    private readonly IReadOnlyList<byte[]> _bodies;
    private readonly int[][] _idOffsets;
    private readonly uint _salt = (uint)Random.Shared.Next() ^ (uint)Environment.TickCount;

    public UniqueBodies(IReadOnlyList<byte[]> bodies)
    {
        _bodies = bodies;
        _idOffsets = bodies.Select(FindIds).ToArray();
    }

    /// <summary>Number of distinct body shapes (they repeat; their event ids never do).</summary>
    public int Count => _bodies.Count;

    /// <summary>Events in body <paramref name="request"/> (bodies carry equally many events).</summary>
    public int EventsIn(long request) => _idOffsets[(int)(request % _bodies.Count)].Length;

    /// <summary>The body for request number <paramref name="request"/>, with ids no other request of this instance uses.</summary>
    public byte[] For(long request)
    {
        var index = (int)(request % _bodies.Count);
        var body = (byte[])_bodies[index].Clone();
        var ids = _idOffsets[index];
        for (var i = 0; i < ids.Length; i++)
        {
            var id = body.AsSpan(ids[i], 32);
            Hex(id[..8], _salt);
            Hex(id.Slice(8, 20), (ulong)request);
            Hex(id.Slice(28, 4), (ulong)i);
        }

        return body;
    }

    private static int[] FindIds(byte[] body)
    {
        var offsets = new List<int>();
        var span = body.AsSpan();
        var at = 0;
        while (true)
        {
            var found = span[at..].IndexOf(Marker);
            if (found < 0) break;
            var start = at + found + Marker.Length;
            if (start + 33 > body.Length || body[start + 32] != (byte)'"')
                throw new InvalidOperationException("Every eventId in a prepared body must be 32 hex characters.");
            offsets.Add(start);
            at = start + 32;
        }

        return offsets.ToArray();
    }

    private static void Hex(Span<byte> target, ulong value)
    {
        for (var i = target.Length - 1; i >= 0; i--)
        {
            target[i] = (byte)"0123456789abcdef"[(int)(value & 0xF)];
            value >>= 4;
        }
    }
}
