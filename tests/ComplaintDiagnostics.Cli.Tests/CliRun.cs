namespace ComplaintDiagnostics.Cli.Tests;

/// <summary>Runs the CLI in-process and captures what a user would see.</summary>
internal sealed record CliRun(int ExitCode, string Output, string Error)
{
    public static async Task<CliRun> Of(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CliApp.RunAsync(args, output, error);
        return new CliRun(code, output.ToString(), error.ToString());
    }
}

/// <summary>A temp copy of the shipped rules folder (rules, scenarios) for a test to break.</summary>
internal sealed class RulesCopy : IDisposable
{
    public RulesCopy()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "cd-cli-" + Guid.NewGuid().ToString("N"));
        Testing.RepoPaths.CopyRulesTo(Path);
    }

    public string Path { get; }

    public string Read(string relative) => File.ReadAllText(System.IO.Path.Combine(Path, relative));

    public void Edit(string relative, string from, string to)
    {
        var text = Read(relative);
        Assert.Contains(from, text);
        File.WriteAllText(System.IO.Path.Combine(Path, relative), text.Replace(from, to, StringComparison.Ordinal));
    }

    /// <summary>The 1-based line of the first occurrence of <paramref name="text"/>.</summary>
    public int LineOf(string relative, string text) =>
        Read(relative).Split('\n').Select((line, i) => (line, i)).First(x => x.line.Contains(text, StringComparison.Ordinal)).i + 1;

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
