using System.Security.Cryptography;

namespace ComplaintDiagnostics.Decisions;

/// <summary>
/// Decision ids: 26 characters of Crockford base32, the first ten the recording time in milliseconds and the rest
/// 80 random bits (the ULID layout). Unique across replicas and restarts without coordination, and ordered by time,
/// so the newest-first list pages by id alone.
/// </summary>
public static class DecisionId
{
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    /// <summary>The length of every id.</summary>
    public const int Length = 26;

    public static string New(DateTimeOffset at)
    {
        Span<byte> random = stackalloc byte[10];
        RandomNumberGenerator.Fill(random);
        var bits = new UInt128(System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(random),
            System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(random[2..]));
        Span<char> chars = stackalloc char[Length];
        var time = (ulong)Math.Max(0, at.ToUnixTimeMilliseconds());
        for (var i = 9; i >= 0; i--)
        {
            chars[i] = Alphabet[(int)(time & 31)];
            time >>= 5;
        }
        for (var i = Length - 1; i >= 10; i--)
        {
            chars[i] = Alphabet[(int)(bits & 31)];
            bits >>= 5;
        }
        return new string(chars);
    }

    /// <summary>The smallest id made at <paramref name="at"/>: every id made before it sorts below it, so a time range
    /// of decisions is a range of ids (the primary key) and needs no index of its own.</summary>
    public static string Floor(DateTimeOffset at)
    {
        Span<char> chars = stackalloc char[Length];
        var time = (ulong)Math.Max(0, at.ToUnixTimeMilliseconds());
        for (var i = 9; i >= 0; i--)
        {
            chars[i] = Alphabet[(int)(time & 31)];
            time >>= 5;
        }
        chars[10..].Fill('0');
        return new string(chars);
    }

    /// <summary>True for a string shaped as an id (a path or query value is checked before it reaches a store).</summary>
    public static bool IsWellFormed(string? id) =>
        id is { Length: Length } && id.All(c => Alphabet.Contains(c, StringComparison.Ordinal)) && id[0] <= '7';

    /// <summary>When the id was made (millisecond precision).</summary>
    public static DateTimeOffset TimeOf(string id)
    {
        ulong time = 0;
        for (var i = 0; i < 10; i++)
        {
            time = (time << 5) | (uint)Alphabet.IndexOf(id[i], StringComparison.Ordinal);
        }
        return DateTimeOffset.FromUnixTimeMilliseconds((long)time);
    }
}
