namespace ComplaintDiagnostics.Api.Tests.Infrastructure;

internal static class RepoPaths
{
    /// <summary>The repository root: the folder holding ComplaintDiagnostics.sln above the test binaries.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The shipped rules folder, the one the README's run command serves.</summary>
    public static string Rules => Path.Combine(Root, "rules");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ComplaintDiagnostics.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("ComplaintDiagnostics.sln not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>A private copy of the shipped rules on disk, for tests that edit rule files.</summary>
internal sealed class TempRulesFolder : IDisposable
{
    public TempRulesFolder(bool copyShippedRules = true)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "cd-rules-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
        if (copyShippedRules)
        {
            foreach (var file in Directory.EnumerateFiles(RepoPaths.Rules, "*.json", SearchOption.AllDirectories))
            {
                var target = System.IO.Path.Combine(Path, System.IO.Path.GetRelativePath(RepoPaths.Rules, file));
                Directory.CreateDirectory(System.IO.Path.GetDirectoryName(target)!);
                System.IO.File.Copy(file, target);
            }
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
