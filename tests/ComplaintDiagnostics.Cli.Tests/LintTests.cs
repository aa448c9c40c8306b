namespace ComplaintDiagnostics.Cli.Tests;

/// <summary><c>lint</c> on the engine fixture broken one way at a time (and once on the shipped rules, which must lint clean).</summary>
public sealed class LintTests : IDisposable
{
    private const string Main = "workflows/main.json";
    private readonly TempRulesFolder _rules = new(RepoPaths.EngineFixture);

    public void Dispose() => _rules.Dispose();

    [Fact]
    public async Task ShippedRulesLintClean()
    {
        var run = await CliRun.Of("lint", "--rules", RepoPaths.Rules);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("no findings", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MisspeltFieldIsReportedWithFileLineAndRule()
    {
        _rules.Edit(Main, "\"Expression\": \"ticket.InArrears == true\",", "\"Expression\": \"ticket.Biling == true\",");

        var run = await CliRun.Of("lint", "--rules", _rules.Path);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"{Main}:{_rules.LineOf(Main, "ticket.Biling")}", run.Output, StringComparison.Ordinal);
        Assert.Contains("R1_First: the expression does not compile: No property or field 'Biling' exists in type 'ComplaintTicket' Did you mean 'Billing'?", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ATableRowsMisspeltColumnAndValueOutsideTheContractAreReportedWithFileLineAndWhatIsAllowed()
    {
        _rules.Edit(Main, "\"Expression\": \"ticket.InArrears == true\",", "\"When\": { \"inArrers\": true, \"billing\": \"prepaid\" },");

        var run = await CliRun.Of("lint", "--rules", _rules.Path);

        Assert.Equal(1, run.ExitCode);
        var line = _rules.LineOf(Main, "inArrers");
        Assert.Contains($"{Main}:{line}:", run.Output, StringComparison.Ordinal);
        Assert.Contains("R1_First: 'inArrers' is not a column a rule can test. Did you mean 'inArrears'? Columns: ", run.Output, StringComparison.Ordinal);
        Assert.Contains("R1_First: 'prepaid' is not a value of 'billing'. Values: postpaid, ocs.", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DuplicateRuleNameUnknownTemplateAndUnreachableRuleAreAllReported()
    {
        _rules.Edit(Main, "\"R3_ExplicitFalse\"", "\"R1_First\"");
        _rules.Edit(Main, "\"reply\": \"second\"", "\"reply\": \"secnd\"");
        _rules.Edit(Main, "\"ticket.InArrears == true || ticket.SimActivated == true\"", "\"ticket.InArrears == true\"");

        var run = await CliRun.Of("lint", "--rules", _rules.Path);
        var lines = run.Output.Split('\n');

        Assert.Equal(1, run.ExitCode);
        Assert.Contains(lines, l => l.Contains("R1_First: another rule of workflow 'Main' already has this name", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith($"{Main}:{_rules.LineOf(Main, "secnd")}:", StringComparison.Ordinal)
            && l.Contains("R2_Second: the reply template 'secnd' is not in replies.json", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("R2_Second: warning: this rule can never win: the earlier rule 'R1_First' has the same condition", StringComparison.Ordinal));
        Assert.Contains("error(s)", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WarningsAloneStillExitOne()
    {
        _rules.Edit(Main, "\"ticket.InArrears == true || ticket.SimActivated == true\"", "\"ticket.InArrears == true\"");

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

/// <summary><c>test</c> on the engine fixture and its scenarios (and once on the shipped rules and theirs).</summary>
public sealed class ScenarioTestCommandTests : IDisposable
{
    private readonly TempRulesFolder _rules = new(RepoPaths.EngineFixture);

    public void Dispose() => _rules.Dispose();

    [Fact]
    public async Task ShippedScenariosAllPass()
    {
        var run = await CliRun.Of("test", "--rules", RepoPaths.Rules);

        Assert.Equal(0, run.ExitCode);
        Assert.DoesNotContain("FAIL", run.Output, StringComparison.Ordinal);
        Assert.Matches(@"\d+ passed, 0 failed", run.Output);
    }

    private const string Main = "workflows/main.json";

    [Fact]
    public async Task RuleEditThatBreaksAScenarioShowsADiff()
    {
        _rules.Edit(Main, "\"cause\": \"FIRST\", \"route\": \"frontDesk\"", "\"cause\": \"FIRST\", \"route\": \"noc\"");

        var run = await CliRun.Of("test", "--rules", _rules.Path);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("FAIL  R1 first hit", run.Output, StringComparison.Ordinal);
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
