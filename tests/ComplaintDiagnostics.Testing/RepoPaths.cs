namespace ComplaintDiagnostics.Testing;

/// <summary>Where the repository and its shipped rules are, for every test project and the benchmarks
/// (one file, linked into each).</summary>
internal static class RepoPaths
{
    /// <summary>The repository root: the folder holding ComplaintDiagnostics.sln above the binaries.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The shipped rules folder, the one the README's run command serves.</summary>
    public static string Rules => Path.Combine(Root, "rules");

    /// <summary>The small rule set the engine's own tests run on (<c>tests/fixtures/engine-rules</c>): what it shows
    /// does not change when NOC staff edit the shipped rules.</summary>
    public static string EngineFixture => Path.Combine(Root, "tests", "fixtures", "engine-rules");

    /// <summary>Copies the shipped rule files (rules, catalogues, schemas, scenarios) into <paramref name="target"/>,
    /// optionally rewriting each file's text on the way (<paramref name="edit"/> gets the path relative to the rules folder).</summary>
    public static void CopyRulesTo(string target, Func<string, string, string>? edit = null) => CopyRules(Rules, target, edit);

    /// <summary>Copies the rule files of <paramref name="source"/> into <paramref name="target"/>.</summary>
    public static void CopyRules(string source, string target, Func<string, string, string>? edit = null)
    {
        foreach (var file in Directory.EnumerateFiles(source, "*.json", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(source, file).Replace('\\', '/');
            var destination = Path.Combine(target, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.WriteAllText(destination, edit is null ? File.ReadAllText(file) : edit(relative, File.ReadAllText(file)));
        }
    }

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
