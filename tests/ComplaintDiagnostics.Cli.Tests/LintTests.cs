namespace ComplaintDiagnostics.Cli.Tests;

public sealed class LintTests : IDisposable
{
    private const string Data = "workflows/data.json";
    private readonly TempRulesFolder _rules = new();

    public void Dispose() => _rules.Dispose();

    [Fact]
    public async Task ShippedRulesLintClean()
    {
        var run = await CliRun.Of("lint", "--rules", _rules.Path);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("no findings", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MisspeltFieldIsReportedWithFileLineAndRule()
    {
        _rules.Edit(Data, "ticket.InArrears == true", "ticket.Biling == true");

        var run = await CliRun.Of("lint", "--rules", _rules.Path);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"{Data}:{_rules.LineOf(Data, "ticket.Biling")}", run.Output, StringComparison.Ordinal);
        Assert.Contains("D1_AccountInArrears: the expression does not compile: No property or field 'Biling'", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DuplicateRuleNameUnknownTemplateAndUnreachableRuleAreAllReported()
    {
        _rules.Edit(Data, "\"D5_DeviceSettings\"", "\"D4_RestartNotTried\"");
        _rules.Edit(Data, "\"reply\": \"data.usage\"", "\"reply\": \"data.usge\"");
        _rules.Edit(Data, "\"ticket.Network.KpiAbnormal == true\"", "\"ticket.Network.ActiveAlarms == true\"");

        var run = await CliRun.Of("lint", "--rules", _rules.Path);
        var lines = run.Output.Split('\n');

        Assert.Equal(1, run.ExitCode);
        Assert.Contains(lines, l => l.Contains("D4_RestartNotTried: another rule of workflow 'Data' already has this name", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith($"{Data}:{_rules.LineOf(Data, "data.usge")}:", StringComparison.Ordinal)
            && l.Contains("D9_UsageOrUnderstanding: the reply template 'data.usge' is not in replies.json", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("D8_NetworkKpiDegraded: warning: this rule can never win: the earlier rule 'D7_NetworkAlarm' has the same condition", StringComparison.Ordinal));
        Assert.Contains("error(s)", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WarningsAloneStillExitOne()
    {
        _rules.Edit(Data, "\"ticket.Network.KpiAbnormal == true\"", "\"ticket.Network.ActiveAlarms == true\"");

        var run = await CliRun.Of("lint", "--rules", _rules.Path);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("0 error(s), 1 warning(s)", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingFolderIsAUsageError()
    {
        var run = await CliRun.Of("lint", "--rules", Path.Combine(_rules.Path, "nope"));

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("Cannot read the rules folder", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("lint", "--bogus")]
    [InlineData("frobnicate")]
    public async Task UnknownArgumentsAreUsageErrors(params string[] args)
    {
        var run = await CliRun.Of(args);

        Assert.Equal(2, run.ExitCode);
    }
}

public sealed class ScenarioTestCommandTests : IDisposable
{
    private readonly TempRulesFolder _rules = new();

    public void Dispose() => _rules.Dispose();

    [Fact]
    public async Task ShippedScenariosAllPass()
    {
        var run = await CliRun.Of("test", "--rules", _rules.Path);

        Assert.Equal(0, run.ExitCode);
        Assert.DoesNotContain("FAIL", run.Output, StringComparison.Ordinal);
        Assert.Matches(@"\d+ passed, 0 failed", run.Output);
    }

    [Fact]
    public async Task RuleEditThatBreaksAScenarioShowsADiff()
    {
        _rules.Edit("workflows/data.json", "\"cause\": \"ACCOUNT_ARREARS\", \"route\": \"frontDesk\"", "\"cause\": \"ACCOUNT_ARREARS\", \"route\": \"noc\"");

        var run = await CliRun.Of("test", "--rules", _rules.Path);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("FAIL  D1 in arrears", run.Output, StringComparison.Ordinal);
        Assert.Contains("route: expected frontDesk, got noc", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RulesThatDoNotLoadFailTheRun()
    {
        _rules.Edit("replies.json", "\"templates\": {", "\"templates\": {{");

        var run = await CliRun.Of("test", "--rules", _rules.Path);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("replies.json", run.Output, StringComparison.Ordinal);
    }
}
