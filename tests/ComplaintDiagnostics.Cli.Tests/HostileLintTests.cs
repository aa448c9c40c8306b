namespace ComplaintDiagnostics.Cli.Tests;

/// <summary><c>lint</c> on every expression of the hostile corpus: exit 1, the finding on R1's line, no stack
/// trace, and it returns (a bomb is refused before anything runs).</summary>
public sealed class HostileLintTests
{
    public static TheoryData<string> Corpus => HostileExpressions.Labels();

    [Theory]
    [MemberData(nameof(Corpus))]
    public async Task LintRefusesItWithFileLineAndRule(string label)
    {
        using var rules = new TempRulesFolder(HostileExpressions.Folder);
        var line = rules.LineOf(HostileExpressions.File, HostileExpressions.ReplacedCondition);
        File.WriteAllText(rules.File(HostileExpressions.File), HostileExpressions.Broken(label));

        var run = await CliRun.Of("lint", "--rules", rules.Path);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"{HostileExpressions.File}:{line}:", run.Output, StringComparison.Ordinal);
        Assert.Contains($"{HostileExpressions.Rule}: ", run.Output, StringComparison.Ordinal);
        Assert.Contains("The service would refuse these rules", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Output + run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception:", run.Output + run.Error, StringComparison.Ordinal);
    }
}
