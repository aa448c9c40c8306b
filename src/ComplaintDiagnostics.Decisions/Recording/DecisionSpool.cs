using System.Globalization;
using System.Text;
using System.Text.Json;

namespace ComplaintDiagnostics.Decisions.Recording;

/// <summary>
/// Decisions that could not reach the store yet, on disk: JSON Lines segments in a folder, oldest first, each
/// append flushed to the operating system at once (a process killed with SIGKILL loses none of them; the kernel
/// writes them out). Bounded by <see cref="MaxBytes"/>: an append that would pass it is refused and the caller
/// counts the loss. Only the recorder's one writer loop touches it.
/// </summary>
public sealed class DecisionSpool : IDisposable
{
    private const long SegmentBytes = 8L << 20;

    private readonly string _folder;
    private readonly FileStream _lock;
    private FileStream? _current;
    private long _sequence;

    /// <exception cref="IOException">The folder cannot be written, or another process holds its spool.</exception>
    public DecisionSpool(string folder, long maxBytes)
    {
        _folder = Path.GetFullPath(folder);
        MaxBytes = maxBytes;
        Directory.CreateDirectory(_folder);
        // One process per spool folder: two would append to the same segments and drain (and delete) each other's. The lock
        // is the operating system's, so it goes with the process however it ends.
        try
        {
            _lock = new FileStream(Path.Combine(_folder, ".lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex) when (ex is not FileNotFoundException and not DirectoryNotFoundException)
        {
            throw new IOException($"the decision spool {_folder} could not be locked ({ex.Message}): is another process using it? "
                + "Two services must not share Decisions:SpoolPath; decisions that need the spool are counted as lost until it is free", ex);
        }
        try
        {
            var segments = Segments();
            Bytes = segments.Sum(s => new FileInfo(s).Length);
            _sequence = segments.Count == 0 ? 0 : long.Parse(Path.GetFileNameWithoutExtension(segments[^1]), CultureInfo.InvariantCulture);
        }
        catch
        {
            _lock.Dispose(); // A spool that failed to open holds no lock.
            throw;
        }
    }

    public long MaxBytes { get; }

    /// <summary>How much waits on disk.</summary>
    public long Bytes { get; private set; }

    public bool IsEmpty => Bytes == 0;

    public string Folder => _folder;

    /// <summary>Lines that could not be read back (a write cut short by a crash); they are skipped and counted.</summary>
    public long Unreadable { get; private set; }

    /// <summary>Appends a batch; false (nothing written) when it would pass the bound.</summary>
    public bool TryAppend(IReadOnlyList<DecisionRecord> decisions)
    {
        var bytes = Lines(decisions);
        if (Bytes + bytes.Length > MaxBytes)
        {
            return false;
        }
        if (_current is null || _current.Length >= SegmentBytes)
        {
            _current?.Dispose();
            _current = new FileStream(Path.Combine(_folder, $"{++_sequence:D12}.jsonl"), FileMode.Append, FileAccess.Write, FileShare.Read);
        }
        _current.Write(bytes);
        _current.Flush(flushToDisk: false);
        Bytes += bytes.Length;
        return true;
    }

    /// <summary>The most <see cref="KeepRefused"/> keeps: refusals are rare, and a store refusing everything must not fill the disk.</summary>
    private const long RefusedBytes = 64L << 20;

    /// <summary>Keeps a decision the store refused, as the spool keeps decisions, in <c>refused/decisions.jsonl</c> of the
    /// spool's folder, for someone to look at or mend and post again; never drained, at most <see cref="RefusedBytes"/>.</summary>
    public void KeepRefused(DecisionRecord decision)
    {
        var folder = Directory.CreateDirectory(Path.Combine(_folder, "refused"));
        var file = new FileInfo(Path.Combine(folder.FullName, "decisions.jsonl"));
        var line = Lines([decision]);
        if ((file.Exists ? file.Length : 0) + line.Length <= RefusedBytes)
        {
            using var stream = file.Open(FileMode.Append, FileAccess.Write, FileShare.Read);
            stream.Write(line);
        }
    }

    /// <summary>Decisions as the spool's lines: JSON Lines in UTF-8.</summary>
    private static byte[] Lines(IReadOnlyList<DecisionRecord> decisions)
    {
        var text = new StringBuilder();
        foreach (var decision in decisions)
        {
            text.Append(JsonSerializer.Serialize(decision, SpoolJson.Default.DecisionRecord)).Append('\n');
        }
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>Writes the oldest segments (at most <paramref name="segments"/>) with <paramref name="write"/>, in chunks of
    /// <paramref name="chunk"/>, deleting each once written; the next segment is parsed while one is written (parsing
    /// the lines was half the drain). Stops at the first chunk <paramref name="write"/> refuses. The number written.</summary>
    public async Task<int> DrainAsync(Func<DecisionRecord[], Task<bool>> write, int segments, int chunk, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(write);
        var ready = Segments().Take(segments).ToList();
        if (_current is not null && ready.Contains(_current.Name, StringComparer.Ordinal))
        {
            _current.Dispose(); // The next append starts a new segment.
            _current = null;
        }
        var written = 0;
        var next = ready.Count == 0 ? null : Task.Run(() => Read(ready[0]));
        for (var i = 0; i < ready.Count; i++)
        {
            var (decisions, unreadable) = await next!.ConfigureAwait(false);
            var following = i + 1 < ready.Count ? ready[i + 1] : null; // Not ready[i + 1] in the lambda: i moves on.
            next = following is null ? null : Task.Run(() => Read(following));
            Unreadable += unreadable;
            foreach (var part in decisions.Chunk(chunk))
            {
                if (cancellationToken.IsCancellationRequested || !await write(part).ConfigureAwait(false))
                {
                    if (next is not null)
                    {
                        await next.ConfigureAwait(false);
                    }
                    return written;
                }
                written += part.Length;
            }
            Remove(ready[i]);
        }
        return written;
    }

    /// <summary>A segment's decisions; a line that cannot be read (a write cut short by a crash) is skipped and counted.</summary>
    private static (List<DecisionRecord> Decisions, long Unreadable) Read(string segment)
    {
        var decisions = new List<DecisionRecord>();
        long unreadable = 0;
        foreach (var line in File.ReadLines(segment))
        {
            try
            {
                if (JsonSerializer.Deserialize(line, SpoolJson.Default.DecisionRecord) is { } decision)
                {
                    decisions.Add(decision);
                }
            }
            catch (JsonException)
            {
                unreadable++;
            }
        }
        return (decisions, unreadable);
    }

    /// <summary>Deletes a segment once the store holds its decisions.</summary>
    private void Remove(string segment)
    {
        var length = new FileInfo(segment).Length;
        File.Delete(segment);
        Bytes = Math.Max(0, Bytes - length);
    }

    public void Dispose()
    {
        _current?.Dispose();
        _current = null;
        _lock.Dispose();
    }

    private List<string> Segments() =>
        [.. Directory.EnumerateFiles(_folder, "*.jsonl")
            .Where(f => long.TryParse(Path.GetFileNameWithoutExtension(f), NumberStyles.None, CultureInfo.InvariantCulture, out _))
            .Order(StringComparer.Ordinal)];
}

/// <summary>The spool's lines, read and written by generated code: draining a spool is parsing its lines, and the
/// reflection-based serializer spent about half the drain doing it.</summary>
[System.Text.Json.Serialization.JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[System.Text.Json.Serialization.JsonSerializable(typeof(DecisionRecord))]
internal sealed partial class SpoolJson : System.Text.Json.Serialization.JsonSerializerContext;
