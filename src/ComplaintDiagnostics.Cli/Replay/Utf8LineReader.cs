using System.Buffers;

namespace ComplaintDiagnostics.Cli.Replay;

/// <summary>
/// The lines of a JSON Lines stream as UTF-8 bytes, read through one large pooled buffer: no string per line, no
/// decoding before the JSON reader, and one read call per megabyte instead of one per kilobyte. A line ends at
/// <c>\n</c> (a <c>\r</c> before it is dropped; JSON Lines has no other separator, and <see cref="ByteRange"/> counts
/// lines the same way); a UTF-8 byte order mark before the first line is skipped. <see cref="Current"/> is valid
/// until the next <see cref="ReadAsync"/>.
/// </summary>
internal sealed class Utf8LineReader(Stream stream, int bufferSize = 1 << 20, int maxLineBytes = Utf8LineReader.MaxLineBytes) : IDisposable
{
    /// <summary>The longest line read by default; a longer one is skipped to its end and reported as
    /// <see cref="TooLong"/>, so a file without line breaks cannot take all memory.</summary>
    public const int MaxLineBytes = 16 << 20;

    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(bufferSize);
    private int _start;
    private int _end;
    private bool _eof;
    private bool _first = true;

    /// <summary>The line just read, without its terminator.</summary>
    public ReadOnlyMemory<byte> Current { get; private set; }

    /// <summary>True when the line just read was longer than <see cref="MaxLineBytes"/>; <see cref="Current"/> is then empty.</summary>
    public bool TooLong { get; private set; }

    public async ValueTask<bool> ReadAsync(CancellationToken cancellationToken)
    {
        var skipping = false;
        while (true)
        {
            var newline = _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
            if (newline >= 0 || (_eof && _end > _start) || (_eof && skipping))
            {
                var length = newline >= 0 ? newline : _end - _start;
                Take(length, newline >= 0 ? length + 1 : length, skipping);
                return true;
            }
            if (_eof)
            {
                return false;
            }
            if (_start > 0)
            {
                // The partial line moves to the front of the buffer.
                _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
                _end -= _start;
                _start = 0;
            }
            else if (_end == _buffer.Length)
            {
                if (_buffer.Length >= maxLineBytes)
                {
                    // Drop what there is of this line and keep looking for its end.
                    skipping = true;
                    _end = 0;
                }
                else
                {
                    var larger = ArrayPool<byte>.Shared.Rent(Math.Min(_buffer.Length * 2, maxLineBytes));
                    _buffer.AsSpan(0, _end).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(_buffer);
                    _buffer = larger;
                }
            }
            var read = await stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
            if (read == 0)
            {
                _eof = true;
            }
            _end += read;
        }
    }

    private void Take(int length, int consumed, bool tooLong)
    {
        var line = _buffer.AsMemory(_start, length);
        _start += consumed;
        if (line.Span is [.., (byte)'\r'])
        {
            line = line[..^1];
        }
        if (_first)
        {
            _first = false;
            if (line.Span.StartsWith("\uFEFF"u8))
            {
                line = line[3..];
            }
        }
        TooLong = tooLong;
        Current = tooLong ? ReadOnlyMemory<byte>.Empty : line;
    }

    /// <summary>True for a line of nothing but white space (as <see cref="string.IsNullOrWhiteSpace"/> sees it).</summary>
    public static bool IsBlank(ReadOnlySpan<byte> line)
    {
        var nonAscii = false;
        foreach (var b in line)
        {
            if (b >= 0x80)
            {
                nonAscii = true;
            }
            else if (!char.IsWhiteSpace((char)b))
            {
                return false;
            }
        }
        return !nonAscii || string.IsNullOrWhiteSpace(System.Text.Encoding.UTF8.GetString(line));
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }
}
