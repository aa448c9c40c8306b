namespace ComplaintDiagnostics.Testing;

/// <summary>A private copy of the shipped rules on disk (or an empty folder), for tests that edit rule files:
/// the one rules-copy helper of every test project.</summary>
internal sealed class TempRulesFolder : IDisposable
{
    public TempRulesFolder(bool copyShippedRules = true)
        : this(copyShippedRules ? RepoPaths.Rules : null)
    {
    }

    /// <param name="source">The rules folder to copy (none: an empty folder).</param>
    public TempRulesFolder(string? source)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "cd-rules-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
        if (source is not null)
        {
            RepoPaths.CopyRules(source, Path);
        }
    }

    public string Path { get; }

    public string File(string relative) => System.IO.Path.Combine(Path, relative);

    public string Read(string relative) => System.IO.File.ReadAllText(File(relative));

    /// <summary>Rewrites a rule file with one textual replacement; fails if the text is not there.</summary>
    public void Edit(string relative, string from, string to)
    {
        var text = Read(relative);
        Assert.Contains(from, text);
        System.IO.File.WriteAllText(File(relative), text.Replace(from, to, StringComparison.Ordinal));
    }

    /// <summary>The 1-based line of the first occurrence of <paramref name="text"/>.</summary>
    public int LineOf(string relative, string text) =>
        Read(relative).Split('\n').Select((line, i) => (line, i)).First(x => x.line.Contains(text, StringComparison.Ordinal)).i + 1;

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A watcher may still hold the folder for a moment; the OS temp cleaner takes it later.
        }
    }
}
