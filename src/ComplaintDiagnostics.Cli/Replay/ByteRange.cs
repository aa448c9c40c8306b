namespace ComplaintDiagnostics.Cli.Replay;

/// <summary>
/// A shard of a JSON Lines file as a byte range: shard K of N takes the lines that start in
/// [K·length/N, (K+1)·length/N), so N jobs read the file once between them instead of N times. The range is moved to
/// line starts (the same rule for a shard's end as for the next one's start, so every line is in exactly one shard),
/// and the lines before it are counted (a vectorised scan, no parsing) so that every line keeps its number in the file.
/// </summary>
internal static class ByteRange
{
    private const int BufferSize = 1 << 20;

    /// <returns>The range's first byte, its end (exclusive) and the number of its first line (1-based).</returns>
    public static async Task<(long Start, long End, long FirstLine)> OfAsync(Stream file, Shard shard, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        var length = file.Length;
        var start = await LineStartAtOrAfterAsync(file, length * shard.Index / shard.Count, cancellationToken);
        var end = await LineStartAtOrAfterAsync(file, length * (shard.Index + 1) / shard.Count, cancellationToken);
        var newlines = 0L;
        var buffer = new byte[BufferSize];
        file.Position = 0;
        for (var left = start; left > 0;)
        {
            var read = await file.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, left)), cancellationToken);
            if (read == 0)
            {
                break;
            }
            newlines += buffer.AsSpan(0, read).Count((byte)'\n');
            left -= read;
        }
        return (start, end, newlines + 1);
    }

    /// <summary>The first line start at or after <paramref name="offset"/>: the offset itself when a line starts there.</summary>
    private static async Task<long> LineStartAtOrAfterAsync(Stream file, long offset, CancellationToken cancellationToken)
    {
        if (offset <= 0 || offset >= file.Length)
        {
            return Math.Clamp(offset, 0, file.Length);
        }
        file.Position = offset - 1;
        var buffer = new byte[64 * 1024];
        var at = offset - 1;
        while (true)
        {
            var read = await file.ReadAsync(buffer, cancellationToken);
            if (read == 0)
            {
                return file.Length;
            }
            var newline = buffer.AsSpan(0, read).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                return at + newline + 1;
            }
            at += read;
        }
    }
}

/// <summary>A read-only window [start, end) of a seekable stream.</summary>
internal sealed class StreamWindow(Stream inner, long start, long end) : Stream
{
    private long _position;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => end - start;

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        inner.Position = start + _position;
        var read = inner.Read(buffer[..(int)Math.Min(buffer.Length, Length - _position)]);
        _position += read;
        return read;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        inner.Position = start + _position;
        var read = await inner.ReadAsync(buffer[..(int)Math.Min(buffer.Length, Length - _position)], cancellationToken);
        _position += read;
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
