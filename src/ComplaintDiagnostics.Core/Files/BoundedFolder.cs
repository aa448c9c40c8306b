using System.Collections.Concurrent;
using System.Text;

namespace ComplaintDiagnostics.Core.Files;

/// <summary>How much of a folder someone else writes is read, and for how long.</summary>
/// <param name="MaxFileBytes">The largest file read; a larger one refuses the read.</param>
/// <param name="MaxTotalBytes">The most read from the folder in one go.</param>
/// <param name="Deadline">How long one read of the folder may take before it is given up as hung.</param>
public sealed record ReadLimits(long MaxFileBytes, long MaxTotalBytes, TimeSpan Deadline)
{
    /// <summary>Rule and scenario files: the shipped ones are 40 KB at most, a whole set under 100 KB.</summary>
    public static ReadLimits RuleFiles { get; } = new(1024 * 1024, 8 * 1024 * 1024, TimeSpan.FromSeconds(5));
}

/// <summary>A folder read that was refused: <see cref="Exception.Message"/> says why in words for whoever maintains
/// the folder, and <see cref="File"/> names the entry it concerns (relative to the folder), when it is one entry.</summary>
public sealed class FolderReadException(string? file, string reason) : IOException(file is null ? reason : $"{file} {reason}")
{
    public string? File { get; } = file;

    /// <summary>What is wrong, without the file's name (the message is the name and this).</summary>
    public string Reason { get; } = reason;
}

/// <summary>
/// Reads the text files of a folder that is not ours (rule files a NOC edits, a ConfigMap, a git-sync checkout, a
/// network mount) as hostile until read: only regular files, each under a size cap and the whole under another, no
/// link that leaves the folder (links inside it, as a Kubernetes <c>..data</c> layout makes, are followed), and the
/// whole read under a deadline. A FIFO or a device is refused without being waited on; a read that still does not
/// finish (a hung network mount) is given up at the deadline and the folder is not read again until it has finished,
/// so a stuck mount costs one thread, never one per poll.
/// </summary>
public static class BoundedFolder
{
    private static readonly ConcurrentDictionary<string, Task> Unfinished = new(StringComparer.Ordinal);

    /// <summary>Reads the named files directly in <paramref name="folder"/> (absent ones are left out) and every visible
    /// <c>*.json</c> directly in each of <paramref name="subfolders"/>, by path relative to the folder with '/'.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="FolderReadException">An entry is not a file that may be read, is too large, or the read did not finish in time.</exception>
    /// <exception cref="IOException">The folder could not be read.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder could not be read.</exception>
    public static async Task<Dictionary<string, string>> ReadAsync(string folder, IReadOnlyList<string> names, IReadOnlyList<string> subfolders,
        ReadLimits limits, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(limits);
        var key = Path.GetFullPath(folder);
        if (Unfinished.TryGetValue(key, out var earlier))
        {
            if (!earlier.IsCompleted)
            {
                throw new FolderReadException(null, $"an earlier read of the folder has still not finished (a file on a hung mount?); it is not read again until that read ends.");
            }
            Unfinished.TryRemove(new KeyValuePair<string, Task>(key, earlier));
        }
        var reading = Task.Run(() => ReadNow(key, names, subfolders, limits), CancellationToken.None);
        try
        {
            return await reading.WaitAsync(limits.Deadline, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Unfinished[key] = reading;
            _ = reading.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            throw new FolderReadException(null,
                $"reading the folder did not finish within {limits.Deadline.TotalSeconds:0.#} s (a file on a hung mount, or a link to one?); nothing of it was used.");
        }
    }

    /// <summary>The same, for a command-line run.</summary>
    public static Dictionary<string, string> Read(string folder, IReadOnlyList<string> names, IReadOnlyList<string> subfolders, ReadLimits limits) =>
        ReadAsync(folder, names, subfolders, limits).GetAwaiter().GetResult();

    private static Dictionary<string, string> ReadNow(string folder, IReadOnlyList<string> names, IReadOnlyList<string> subfolders, ReadLimits limits)
    {
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"The folder '{folder}' does not exist.");
        }
        var root = RealFolder(folder);
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        var total = 0L;
        foreach (var name in names)
        {
            Add(name, Path.Combine(folder, name));
        }
        foreach (var sub in subfolders)
        {
            var path = Path.Combine(folder, sub);
            if (!Directory.Exists(path))
            {
                continue;
            }
            var entries = 0;
            foreach (var entry in Directory.EnumerateFileSystemEntries(path, "*.json", SearchOption.TopDirectoryOnly).Order(StringComparer.Ordinal))
            {
                var name = Path.GetFileName(entry);
                if (name.StartsWith('.'))
                {
                    continue; // Hidden: a ConfigMap's ..data machinery, an editor's swap file.
                }
                var relative = sub.TrimEnd('/') + "/" + name;
                if (++entries > MaxEntries)
                {
                    throw new FolderReadException(sub.TrimEnd('/'), $"holds more than {MaxEntries} *.json files; at most {MaxEntries} are read (a folder copied in by mistake?).");
                }
                if (BadName(name) is { } why)
                {
                    // Skipped, it would be an edit that silently does nothing (or a log that names another file).
                    throw new FolderReadException(Shown(relative), why);
                }
                Add(relative, entry);
            }
        }
        return files;

        void Add(string relative, string path)
        {
            if (ReadFile(root, relative, path, Math.Min(limits.MaxFileBytes, limits.MaxTotalBytes - total), limits) is { } bytes)
            {
                total += bytes.Length;
                files[relative] = Decode(bytes);
            }
        }
    }

    private static string RealFolder(string folder) =>
        (UnixFiles.Supported ? UnixFiles.RealPath(folder) : null) ?? Path.GetFullPath(folder);

    /// <summary>The most <c>*.json</c> entries read from one subfolder: a rule set has a few dozen workflows.</summary>
    public const int MaxEntries = 1000;

    /// <summary>Why a file name cannot be a rule file's, or null: the name is written in findings and logs, and one a
    /// reader would not see as written (a control or invisible character, bytes that are not UTF-8, a backslash that
    /// another system reads as a folder) is refused rather than skipped.</summary>
    private static string? BadName(string name) =>
        name.Contains('\uFFFD', StringComparison.Ordinal) ? "has a name that is not UTF-8; rename it."
        : name.Contains('\\', StringComparison.Ordinal) ? "has a backslash in its name; rename it."
        : name.Any(Contracts.Privacy.IsInvisible) ? "has a control or invisible character in its name; rename it."
        : null;

    /// <summary>A name as a finding quotes it: characters a reader would not see written as code points.</summary>
    private static string Shown(string name) =>
        string.Concat(name.Select(c => Contracts.Privacy.IsInvisible(c) ? $"\\u{(int)c:X4}" : c.ToString()));

    /// <summary>The bytes of one entry, or null when it is absent (or a link to nothing); a folder where a file is
    /// expected (<c>workflows/x.json/</c>, <c>replies.json/</c>) is refused, not skipped.</summary>
    private static byte[]? ReadFile(string root, string relative, string path, long budget, ReadLimits limits)
    {
        if (UnixFiles.Supported)
        {
            if (UnixFiles.RealPath(path) is not { } real)
            {
                return null;
            }
            if (!IsInside(real, root))
            {
                throw new FolderReadException(relative, "is a link to a file outside the folder; only files inside it are read.");
            }
            UnixFiles.Kind kind;
            long length;
            Microsoft.Win32.SafeHandles.SafeFileHandle handle;
            try
            {
                handle = UnixFiles.OpenNonBlocking(real, out kind, out length);
            }
            catch (IOException ex)
            {
                // A socket cannot be opened at all (ENXIO); anything else that cannot be opened is named the same way.
                throw new FolderReadException(relative, $"cannot be opened ({ex.Message}); only regular files are read.");
            }
            using var opened = handle;
            return kind switch
            {
                UnixFiles.Kind.Directory => throw new FolderReadException(relative, "is a folder, not a file."),
                UnixFiles.Kind.Other => throw new FolderReadException(relative,
                    "is not a regular file (a FIFO, a device or a socket); only regular files are read."),
                _ => ReadBounded(new FileStream(handle, FileAccess.Read, 1), relative, length, budget, limits),
            };
        }
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            return Directory.Exists(path) ? throw new FolderReadException(relative, "is a folder, not a file.") : null;
        }
        if (info.LinkTarget is not null && (info.ResolveLinkTarget(returnFinalTarget: true) is not { Exists: true } target || !IsInside(target.FullName, root)))
        {
            throw new FolderReadException(relative, "is a link to a file outside the folder; only files inside it are read.");
        }
        return ReadBounded(info.OpenRead(), relative, info.Length, budget, limits);
    }

    private static bool IsInside(string path, string root) =>
        path.StartsWith(root.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);

    private static byte[] ReadBounded(FileStream stream, string relative, long length, long budget, ReadLimits limits)
    {
        using (stream)
        {
            if (length > budget)
            {
                throw TooLarge(relative, length, limits);
            }
            // The file may grow between the size and the read: never read more than the budget and one byte.
            var buffer = new byte[(int)Math.Min(budget + 1, Math.Max(length, 0) + 4096)];
            var read = 0;
            int n;
            while ((n = stream.Read(buffer, read, buffer.Length - read)) > 0)
            {
                read += n;
                if (read == buffer.Length)
                {
                    if (read > budget)
                    {
                        throw TooLarge(relative, read, limits);
                    }
                    Array.Resize(ref buffer, (int)Math.Min(budget + 1, (long)buffer.Length * 2));
                }
            }
            return buffer.AsSpan(0, read).ToArray();
        }
    }

    private static FolderReadException TooLarge(string relative, long length, ReadLimits limits) =>
        new(relative, $"is {Size(length)} or more; a file may be at most {Size(limits.MaxFileBytes)} and the folder {Size(limits.MaxTotalBytes)} together.");

    private static string Size(long bytes) => bytes >= 1024 * 1024 ? $"{bytes / (1024.0 * 1024):0.#} MiB" : $"{bytes / 1024.0:0.#} KiB";

    /// <summary>As <see cref="File.ReadAllText(string)"/> decodes: a byte order mark says the encoding, UTF-8 otherwise.</summary>
    private static string Decode(byte[] bytes)
    {
        using var reader = new StreamReader(new MemoryStream(bytes), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }
}
