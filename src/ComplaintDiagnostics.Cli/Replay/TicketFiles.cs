namespace ComplaintDiagnostics.Cli.Replay;

/// <summary>What a history file is, from its first bytes, before a line of it is replayed: a compressed or binary file
/// read as text gave "0 of 0 tickets" and exit 0, and a gate passed on nothing.</summary>
internal static class TicketFiles
{
    private const int Sniffed = 8192;

    /// <summary>Why <paramref name="file"/> is not a text history (the words follow its name), or null when it may be one.</summary>
    public static string? NotText(FileInfo file)
    {
        ArgumentNullException.ThrowIfNull(file);
        Span<byte> head = stackalloc byte[Sniffed];
        int read;
        try
        {
            using var stream = new FileStream(file.FullName, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            read = stream.ReadAtLeast(head, Sniffed, throwOnEndOfStream: false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return $"cannot be read: {ex.Message}";
        }
        head = head[..read];
        return head switch
        {
            [0x1F, 0x8B, ..] => "is gzip-compressed: decompress it first (gunzip -k), then replay the .jsonl or .csv.",
            [0x50, 0x4B, 0x03, 0x04, ..] => "is a ZIP archive (an Excel workbook?): save the sheet as \"CSV UTF-8\" and replay that.",
            [0xFF, 0xFE, 0x00, 0x00, ..] or [0x00, 0x00, 0xFE, 0xFF, ..] => "is UTF-32 text: save it as \"CSV UTF-8\" (or UTF-8 JSON Lines) and replay that.",
            [0xFF, 0xFE, ..] or [0xFE, 0xFF, ..] => "is UTF-16 text (Excel's \"Unicode text\"): save it as \"CSV UTF-8\" and replay that.",
            [0x42, 0x5A, 0x68, ..] or [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00, ..] or [0x28, 0xB5, 0x2F, 0xFD, ..] =>
                "is compressed (bzip2, xz or zstd): decompress it first, then replay the .jsonl or .csv.",
            _ when head.Contains((byte)0) => "holds NUL bytes: it is not a text file of JSON Lines or CSV.",
            _ => null,
        };
    }
}
