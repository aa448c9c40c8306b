global using ComplaintDiagnostics.Testing;

namespace ComplaintDiagnostics.Api.Tests.Infrastructure;

/// <summary>A private copy of the shipped rules on disk, for tests that edit rule files.</summary>
internal sealed class TempRulesFolder : IDisposable
{
    public TempRulesFolder(bool copyShippedRules = true)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "cd-rules-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
        if (copyShippedRules)
        {
            RepoPaths.CopyRulesTo(Path);
        }
    }

    public string Path { get; }

    public string File(string relative) => System.IO.Path.Combine(Path, relative);

    /// <summary>Rewrites a rule file with one textual replacement; fails if the text is not there.</summary>
    public void Edit(string relative, string from, string to)
    {
        var text = System.IO.File.ReadAllText(File(relative));
        Assert.Contains(from, text);
        System.IO.File.WriteAllText(File(relative), text.Replace(from, to, StringComparison.Ordinal));
    }

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
