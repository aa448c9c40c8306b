namespace ComplaintDiagnostics.Core.Rules;

/// <summary>File events that make a reload come sooner than the poll.</summary>
public sealed partial class RuleSetReloader
{
    /// <summary>File events on the rules folder, or in release mode on the repository's branches; null when there are none
    /// to have (yet): the poll alone then.</summary>
    private FileSystemWatcher? TryWatch() => Options.IsReleaseMode ? TryWatchRepository() : TryWatch(Options.FullPath);

    /// <summary>File events in <paramref name="folder"/>, those whose name is <paramref name="relevant"/>.</summary>
    private FileSystemWatcher? TryWatch(string folder, bool subfolders = true, Func<string?, bool>? relevant = null)
    {
        if (!Directory.Exists(folder))
        {
            return null;
        }
        try
        {
            var watcher = new FileSystemWatcher(folder)
            {
                IncludeSubdirectories = subfolders,
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime,
            };
            relevant ??= _ => true;
            FileSystemEventHandler changed = (_, e) => _ = relevant(e.Name) && _changes.Writer.TryWrite(true);
            watcher.Changed += changed;
            watcher.Created += changed;
            watcher.Deleted += changed;
            watcher.Renamed += (_, e) => _ = relevant(e.Name) && _changes.Writer.TryWrite(true);
            watcher.Error += (_, _) => _changes.Writer.TryWrite(true);
            watcher.EnableRaisingEvents = true;
            return watcher;
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or PlatformNotSupportedException)
        {
            LogWatchUnavailable(folder, ex.Message);
            return null;
        }
    }
}
