using ComplaintDiagnostics.Core.Rules;

namespace ComplaintDiagnostics.Core.Tests;

/// <summary>Every refusal names the file, the line and the rule a NOC engineer has to fix.</summary>
public sealed class RuleSetCompilerTests
{
    private static async Task<RuleProblem> SingleProblem(RuleSources sources)
    {
        var build = await RuleSetCompiler.CompileAsync(sources, DateTimeOffset.UnixEpoch);
        Assert.Null(build.RuleSet);
        return Assert.Single(build.Problems);
    }

    [Fact]
    public async Task ShippedRulesCompileWithoutProblems()
    {
        var build = await RuleSetCompiler.CompileAsync(ShippedRules.Sources(), DateTimeOffset.UnixEpoch);

        Assert.Empty(build.Problems);
        Assert.NotNull(build.RuleSet);
        Assert.Equal(ShippedRules.Sources().Version, build.RuleSet.Version);
    }

    [Fact]
    public async Task MisspeltFieldIsReportedOnItsRuleAndLine()
    {
        var sources = ShippedRules.With("workflows/data.json", "ticket.InArrears == true", "ticket.InArears == true");

        var problem = await SingleProblem(sources);

        Assert.Equal("workflows/data.json", problem.File);
        Assert.Equal("D1_AccountInArrears", problem.Rule);
        Assert.Equal(ShippedRules.LineOf(sources, "workflows/data.json", "InArears"), problem.Line);
        Assert.Contains("'InArears'", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MisspeltEnumValueIsRefused()
    {
        var sources = ShippedRules.With("workflows/data.json", "specificService\\\"", "specificServise\\\"");

        var problem = await SingleProblem(sources);

        Assert.Equal("D9_UsageOrUnderstanding", problem.Rule);
        Assert.Contains("does not compile", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownRequestPathInAMissingListIsRefused()
    {
        var sources = ShippedRules.With("workflows/data.json", "roaming\\\", ", "roming\\\", ");

        var problem = await SingleProblem(sources);

        Assert.Equal("D0_WorkOrderIncomplete", problem.Rule);
        Assert.Contains("'roming' is not a field of the complaint", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownReplyTemplateIsRefused()
    {
        var sources = ShippedRules.With("workflows/data.json", "\"reply\": \"data.arrears\"", "\"reply\": \"data.arears\"");

        var problem = await SingleProblem(sources);

        Assert.Equal("D1_AccountInArrears", problem.Rule);
        Assert.Equal(ShippedRules.LineOf(sources, "workflows/data.json", "data.arears"), problem.Line);
        Assert.Contains("'data.arears' is not in replies.json", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownCauseRouteAndActionAreRefused()
    {
        var sources = ShippedRules.With("workflows/data.json",
            "\"cause\": \"NETWORK_ALARM\", \"route\": \"noc\"",
            "\"cause\": \"NETWORK_ALRAM\", \"route\": \"nocc\"");
        sources = new RuleSources(sources.Files.ToDictionary(kv => kv.Key, kv => kv.Key == "workflows/data.json"
            ? kv.Value.Replace("\"notifySpecialists\"", "\"notifySpecialist\"", StringComparison.Ordinal) : kv.Value));

        var build = await RuleSetCompiler.CompileAsync(sources, DateTimeOffset.UnixEpoch);

        Assert.Equal(3, build.Problems.Count);
        Assert.All(build.Problems, p => Assert.Equal("D7_NetworkAlarm", p.Rule));
        Assert.Contains(build.Problems, p => p.Message.Contains("NETWORK_ALRAM", StringComparison.Ordinal));
        Assert.Contains(build.Problems, p => p.Message.Contains("'nocc' is not allowed", StringComparison.Ordinal));
        Assert.Contains(build.Problems, p => p.Message.Contains("'notifySpecialist' is not an action code", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DuplicateRuleNameIsRefused()
    {
        var sources = ShippedRules.With("workflows/data.json", "\"D2_DataFeatureDisabled\"", "\"D1_AccountInArrears\"");

        var problem = await SingleProblem(sources);

        Assert.Equal("D1_AccountInArrears", problem.Rule);
        Assert.Contains("unique", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DiagnosisWorkflowWithoutFallbackIsRefused()
    {
        var sources = ShippedRules.With("workflows/group-fault.json",
            "\"RuleName\": \"G1_GroupServiceFault\",\n      \"Expression\": \"true\"",
            "\"RuleName\": \"G1_GroupServiceFault\",\n      \"Expression\": \"ticket.Customer.Tier != null\"");

        var problem = await SingleProblem(sources);

        Assert.Equal("GroupFault", problem.Rule);
        Assert.Contains("fallback", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MisspeltKeyIsRefusedWithASuggestion()
    {
        var sources = ShippedRules.With("workflows/voice-and-coverage.json", "\"Expression\": \"ticket.Network.KpiAbnormal == true\"",
            "\"expression\": \"ticket.Network.KpiAbnormal == true\"");

        var build = await RuleSetCompiler.CompileAsync(sources, DateTimeOffset.UnixEpoch);

        Assert.Contains(build.Problems, p => p.Rule == "V2_NetworkKpiDegraded" && p.Message.Contains("did you mean \"Expression\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task JsonSyntaxErrorNamesFileAndLine()
    {
        var sources = ShippedRules.With("causes.json", "\"group\": \"account\",  \"label\"", "\"group\": \"account\"  \"label\"");

        var problem = await SingleProblem(sources);

        Assert.Equal("causes.json", problem.File);
        Assert.Equal(ShippedRules.LineOf(sources, "causes.json", "\"ACCOUNT_ARREARS\""), problem.Line);
        Assert.StartsWith("JSON syntax", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingTranslationIsRefused()
    {
        var sources = ShippedRules.With("replies.json", "\"en\": \"Your account is currently in arrears", "\"fr\": \"Your account is currently in arrears");

        var build = await RuleSetCompiler.CompileAsync(sources, DateTimeOffset.UnixEpoch);

        Assert.Contains(build.Problems, p => p.File == "replies.json" && p.Rule == "data.arrears" && p.Message.Contains("'en' text is missing", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ManifestNamingAMissingWorkflowIsRefused()
    {
        var sources = ShippedRules.With("ruleset.json", "\"FieldTest\" ]", "\"FieldTests\" ]");

        var build = await RuleSetCompiler.CompileAsync(sources, DateTimeOffset.UnixEpoch);

        Assert.Contains(build.Problems, p => p.File == "ruleset.json" && p.Rule == "FieldTests");
        Assert.Contains(build.Problems, p => p.File == "workflows/field-test.json" && p.Message.Contains("not used", StringComparison.Ordinal));
    }

    [Fact]
    public async Task VersionChangesWithContentOnly()
    {
        var same = ShippedRules.Sources();
        var edited = ShippedRules.With("replies.json", "建议用户再关注。", "建议用户再关注！");

        Assert.Equal(ShippedRules.Sources().Version, same.Version);
        Assert.NotEqual(same.Version, edited.Version);
        Assert.NotNull((await RuleSetCompiler.CompileAsync(edited, DateTimeOffset.UnixEpoch)).RuleSet);
    }

    [Fact]
    public async Task RuleAfterOneThatAlwaysMatchesIsAWarningNotARefusal()
    {
        var sources = ShippedRules.With("workflows/data.json", "\"Expression\": \"ticket.Network.KpiAbnormal == true\"", "\"Expression\": \"true\"");

        var build = await RuleSetCompiler.CompileAsync(sources, DateTimeOffset.UnixEpoch);

        Assert.NotNull(build.RuleSet);
        var warnings = build.Problems.Where(p => p.Severity == ProblemSeverity.Warning).ToList();
        Assert.Equal(["D9_UsageOrUnderstanding", "D10_NotReproduced", "D11_NetworkInvestigation"], warnings.Select(w => w.Rule));
        Assert.All(warnings, w => Assert.Contains("'D8_NetworkKpiDegraded' always matches", w.Message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task RuleWithTheSameConditionAsAnEarlierOneIsAWarning()
    {
        var sources = ShippedRules.With("workflows/data.json", "ticket.Network.Reproduced == false", "ticket.Network.KpiAbnormal  ==  true");

        var build = await RuleSetCompiler.CompileAsync(sources, DateTimeOffset.UnixEpoch);

        var warning = Assert.Single(build.Problems);
        Assert.Equal(ProblemSeverity.Warning, warning.Severity);
        Assert.Equal("D10_NotReproduced", warning.Rule);
        Assert.Contains("'D8_NetworkKpiDegraded' has the same condition", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExpressionErrorsAreReportedAlongsideOtherProblems()
    {
        var sources = ShippedRules.With("workflows/data.json", "ticket.InArrears == true", "ticket.InArears == true");
        sources = new RuleSources(sources.Files.ToDictionary(kv => kv.Key, kv => kv.Key == "workflows/data.json"
            ? kv.Value.Replace("\"reply\": \"data.usage\"", "\"reply\": \"data.usag\"", StringComparison.Ordinal) : kv.Value));

        var build = await RuleSetCompiler.CompileAsync(sources, DateTimeOffset.UnixEpoch);

        Assert.Equal(["D1_AccountInArrears", "D9_UsageOrUnderstanding"], build.Problems.Select(p => p.Rule));
    }

    [Fact]
    public void EveryShippedFileNamesAndFollowsItsSchema()
    {
        foreach (var (file, text) in ShippedRules.Sources().Files)
        {
            Assert.Contains($"schema/{RuleSchemas.For(file)}\"", text, StringComparison.Ordinal);
            Assert.Empty(RuleSchemas.Validate(file, text));
        }
    }

    [Fact]
    public void SchemaFlagsAMisspeltKeyOnItsLine()
    {
        var sources = ShippedRules.With("workflows/data.json", "\"Expression\": \"ticket.InArrears == true\"", "\"Expresion\": \"ticket.InArrears == true\"");

        var problems = RuleSchemas.Validate("workflows/data.json", sources.Files["workflows/data.json"]).ToList();

        Assert.Contains(problems, p => p.Line == ShippedRules.LineOf(sources, "workflows/data.json", "Expresion")
            && p.Message.Contains("\"Expresion\" is not an allowed key", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("ticket.GetType().Name == \\\"ComplaintTicket\\\"", "'GetType'")]
    [InlineData("ticket.Billing.GetType().Assembly.FullName != \\\"\\\"", "'GetType'")]
    [InlineData("ticket.Customer.Msisdn.GetType() != null", "'Msisdn' is personal data")]
    public async Task ExpressionsThatReachTheTypeSystemAreRefusedWithTheRuleNamed(string expression, string named)
    {
        var sources = ShippedRules.With("workflows/data.json", "\"ticket.InArrears == true\"", $"\"{expression}\"");

        var problem = await SingleProblem(sources);

        Assert.Equal("D1_AccountInArrears", problem.Rule);
        Assert.Equal(ShippedRules.LineOf(sources, "workflows/data.json", "D1_AccountInArrears") + 1, problem.Line);
        Assert.Contains(named, problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LocalParametersAreCheckedToo()
    {
        var sources = ShippedRules.With("workflows/group-fault.json", "ticket.Fields(\\\"customer.tier\\\")", "ticket.GetType().Name");

        var problem = await SingleProblem(sources);

        Assert.Equal("G0_TierMissingOrNotGroup", problem.Rule);
        Assert.StartsWith("local parameter 'missing'", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StringMathAndListHelpersAreAllowed()
    {
        var sources = ShippedRules.With("workflows/data.json", "\"ticket.InArrears == true\"",
            "\"ticket.InArrears == true && (ticket.Location.Description == null || ticket.Location.Description.Trim().ToLower().StartsWith(\\\"gate\\\") || Math.Abs(ticket.Location.SignalBars ?? 0) < 6) && ticket.Unknown(\\\"billing\\\").Length == 0\"");

        var build = await RuleSetCompiler.CompileAsync(sources, DateTimeOffset.UnixEpoch);

        Assert.Empty(build.Problems);
    }
}
