using ComplaintDiagnostics.Core.Rules;

namespace ComplaintDiagnostics.Core.Tests;

/// <summary>The shipped rules folder as in-memory sources, to compile as they are or with an edit.</summary>
internal static class ShippedRules
{
    public static string Folder => Testing.RepoPaths.Rules;

    public static RuleSources Sources() => RuleSources.ReadFolder(Folder);

    /// <summary>The shipped sources with one textual replacement in one file; fails if the text is not there.</summary>
    public static RuleSources With(string file, string from, string to)
    {
        var files = Sources().Files.ToDictionary(kv => kv.Key, kv => kv.Value);
        Assert.Contains(from, files[file]);
        files[file] = files[file].Replace(from, to, StringComparison.Ordinal);
        return new RuleSources(files);
    }

    public static int LineOf(RuleSources sources, string file, string text) =>
        sources.Files[file].Split('\n').Select((line, i) => (line, i)).First(x => x.line.Contains(text, StringComparison.Ordinal)).i + 1;
}

/// <summary>The engine fixture (tests/fixtures/engine-rules) as in-memory sources, to break one way at a time:
/// the compiler's tests edit it, not the shipped rules, so a NOC edit of rules/ never breaks them.</summary>
internal static class FixtureRules
{
    public const string Main = "workflows/main.json";

    public static RuleSources Sources() => RuleSources.ReadFolder(Testing.RepoPaths.EngineFixture);

    /// <summary>The fixture with one textual replacement in one file; fails if the text is not there.</summary>
    public static RuleSources With(string file, string from, string to)
    {
        var files = Sources().Files.ToDictionary(kv => kv.Key, kv => kv.Value);
        Assert.Contains(from, files[file]);
        files[file] = files[file].Replace(from, to, StringComparison.Ordinal);
        return new RuleSources(files);
    }

    public static int LineOf(RuleSources sources, string file, string text) => ShippedRules.LineOf(sources, file, text);
}
