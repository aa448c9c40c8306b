namespace ComplaintDiagnostics.Cli.Tests;

/// <summary><c>lint</c> on every expression of the hostile corpus: exit 1, the finding on D1's line, no stack
/// trace, and it returns (a bomb is refused before anything runs).</summary>
public sealed class HostileLintTests
{
    public static TheoryData<string> Corpus => HostileExpressions.Labels();

    [Theory]
    [MemberData(nameof(Corpus))]
    public async Task LintRefusesItWithFileLineAndRule(string label)
    {
        using var rules = new TempRulesFolder();
        var line = rules.LineOf("workflows/data.json", HostileExpressions.ReplacedCondition);
        File.WriteAllText(Path.Combine(rules.Path, "workflows/data.json"),
            HostileExpressions.InDataWorkflow("workflows/data.json", rules.Read("workflows/data.json"), HostileExpressions.Get(label)));

        var run = await CliRun.Of("lint", "--rules", rules.Path);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"workflows/data.json:{line}:", run.Output, StringComparison.Ordinal);
        Assert.Contains("D1_AccountInArrears: ", run.Output, StringComparison.Ordinal);
        Assert.Contains("The service would refuse these rules", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Output + run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception:", run.Output + run.Error, StringComparison.Ordinal);
    }
}
