using System.Text;
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
        var sources = FixtureRules.With(FixtureRules.Main, "\"Expression\": \"ticket.InArrears == true\"", "\"Expression\": \"ticket.InArears == true\"");

        var problem = await SingleProblem(sources);

        Assert.Equal(FixtureRules.Main, problem.File);
        Assert.Equal("R1_First", problem.Rule);
        Assert.Equal(FixtureRules.LineOf(sources, FixtureRules.Main, "InArears"), problem.Line);
        Assert.Contains("'InArears'", problem.Message, StringComparison.Ordinal);
        Assert.Contains("Did you mean 'InArrears'?", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MisspeltEnumValueIsRefused()
    {
        var sources = FixtureRules.With(FixtureRules.Main, "specificService\\\"", "specificServise\\\"");

        var problem = await SingleProblem(sources);

        Assert.Equal("R3_ExplicitFalse", problem.Rule);
        Assert.Contains("does not compile", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownRequestPathInAMissingListIsRefused()
    {
        var sources = FixtureRules.With(FixtureRules.Main, "Unknown(\\\"billing\\\")", "Unknown(\\\"biling\\\")");

        var problem = await SingleProblem(sources);

        Assert.Equal("R0_Needs", problem.Rule);
        Assert.Contains("'biling' is not a field of the complaint", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownReplyTemplateIsRefused()
    {
        var sources = FixtureRules.With(FixtureRules.Main, "\"reply\": \"first\"", "\"reply\": \"frist\"");

        var problem = await SingleProblem(sources);

        Assert.Equal("R1_First", problem.Rule);
        Assert.Equal(FixtureRules.LineOf(sources, FixtureRules.Main, "frist"), problem.Line);
        Assert.Contains("'frist' is not in replies.json. Did you mean 'first'?", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownCauseRouteAndActionAreRefused()
    {
        var sources = FixtureRules.With(FixtureRules.Main,
            "\"cause\": \"SECOND\", \"route\": \"noc\"",
            "\"cause\": \"SECNOD\", \"route\": \"nocc\", \"actions\": [ { \"code\": \"notifySpecialist\" } ]");

        var build = await RuleSetCompiler.CompileAsync(sources, DateTimeOffset.UnixEpoch);

        Assert.All(build.Errors, p => Assert.Equal("R2_Second", p.Rule));
        Assert.Contains(build.Problems, p => p.Message.Contains("'SECNOD' is not in causes.json. Did you mean 'SECOND'?", StringComparison.Ordinal));
        Assert.Contains(build.Problems, p => p.Message.Contains("'nocc' is not allowed", StringComparison.Ordinal));
        Assert.Contains(build.Problems, p => p.Message.Contains("'notifySpecialist' is not in actions.json", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DuplicateRuleNameIsRefused()
    {
        var sources = FixtureRules.With(FixtureRules.Main, "\"R2_Second\"", "\"R1_First\"");

        var problem = await SingleProblem(sources);

        Assert.Equal("R1_First", problem.Rule);
        Assert.Contains("unique", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DiagnosisWorkflowWithoutFallbackIsRefused()
    {
        var sources = FixtureRules.With(FixtureRules.Main,
            "\"RuleName\": \"R4_Fallback\",\n      \"Expression\": \"true\"",
            "\"RuleName\": \"R4_Fallback\",\n      \"Expression\": \"ticket.Customer.Tier != null\"");

        var problem = await SingleProblem(sources);

        Assert.Equal("Main", problem.Rule);
        Assert.Contains("fallback", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MisspeltKeyIsRefusedWithASuggestion()
    {
        var sources = FixtureRules.With(FixtureRules.Main, "\"Expression\": \"ticket.InArrears == true\",",
            "\"expression\": \"ticket.InArrears == true\",");

        var build = await RuleSetCompiler.CompileAsync(sources, DateTimeOffset.UnixEpoch);

        Assert.Contains(build.Problems, p => p.Rule == "R1_First" && p.Message.Contains("did you mean \"Expression\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task JsonSyntaxErrorNamesFileAndLine()
    {
        var sources = FixtureRules.With("causes.json", "\"FIRST\":    { \"group\": \"g\", \"label\"", "\"FIRST\":    { \"group\": \"g\" \"label\"");

        var problem = await SingleProblem(sources);

        Assert.Equal("causes.json", problem.File);
        Assert.Equal(FixtureRules.LineOf(sources, "causes.json", "\"FIRST\""), problem.Line);
        Assert.StartsWith("JSON syntax", problem.Message, StringComparison.Ordinal);
        Assert.EndsWith("(a comma missing after the previous value?)", problem.Message, StringComparison.Ordinal);
    }

    /// <summary>The parser's words, and what they most often mean in a file edited by hand.</summary>
    [Theory]
    [InlineData("\"group\": \"g\", \"label\"", "\"group\": \"g\", , \"label\"", "(a comma too many, after the last item?)")]
    [InlineData("\"group\": \"g\", \"label\"", "\"group\": \"g, \"label\"", "(a comma missing after the previous value?)")]
    public async Task AJsonSyntaxErrorSaysWhatItMostOftenMeans(string from, string to, string hint)
    {
        var problem = await SingleProblem(FixtureRules.With("causes.json", from, to));

        Assert.EndsWith(hint, problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n\n")]
    [InlineData("// the rules moved to another file\n")]
    public async Task AnEmptyFileIsNamedAsEmptyAtALineAnEditorHas(string text)
    {
        var files = FixtureRules.Sources().Files.ToDictionary(kv => kv.Key, kv => kv.Value);
        files[FixtureRules.Main] = text;

        var build = await RuleSetCompiler.CompileAsync(new RuleSources(files), DateTimeOffset.UnixEpoch);

        Assert.False(build.Accepted);
        var problem = Assert.Single(build.Problems, p => p.File == FixtureRules.Main);
        Assert.True(problem.Line >= 1 && problem.Column >= 1, $"{problem.Line}:{problem.Column}");
        Assert.Equal("the file holds no JSON value (it is empty, or only white space and comments).", problem.Message);
    }

    [Fact]
    public async Task AFileSavedAsGbkIsRefusedAtItsFirstChineseCharacter()
    {
        // A Chinese Windows editor's "ANSI" is GBK. Read as UTF-8 it still parses, the Chinese turned to U+FFFD, and was
        // accepted: every reply of the file would have reached customers garbled.
        using var folder = new Testing.TempRulesFolder(Testing.RepoPaths.EngineFixture);
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var utf8 = folder.Read("replies.json");
        File.WriteAllBytes(folder.File("replies.json"), Encoding.GetEncoding("GBK").GetBytes(utf8));

        var build = await RuleSetCompiler.CompileAsync(RuleSources.ReadFolder(folder.Path), DateTimeOffset.UnixEpoch);

        Assert.False(build.Accepted);
        var problem = Assert.Single(build.Problems);
        var lines = utf8.Split('\n');
        var line = Array.FindIndex(lines, l => l.Any(c => c > 0x2E80)) + 1;
        Assert.Equal(("replies.json", line), (problem.File, problem.Line));
        Assert.Equal(lines[line - 1].First(c => c > 0x2E80), lines[line - 1][problem.Column!.Value - 1]);
        Assert.StartsWith("the file is not UTF-8", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingTranslationIsRefused()
    {
        var sources = FixtureRules.With("replies.json", "\"en\": \"The first row.\"", "\"fr\": \"The first row.\"");

        var build = await RuleSetCompiler.CompileAsync(sources, DateTimeOffset.UnixEpoch);

        Assert.Contains(build.Problems, p => p.File == "replies.json" && p.Rule == "first" && p.Message.Contains("'en' text is missing", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ManifestNamingAMissingWorkflowIsRefused()
    {
        var sources = FixtureRules.With("ruleset.json", "\"Urgent\" ]", "\"Urgents\" ]");

        var build = await RuleSetCompiler.CompileAsync(sources, DateTimeOffset.UnixEpoch);

        Assert.Contains(build.Problems, p => p.File == "ruleset.json" && p.Rule == "Urgents");
        Assert.Contains(build.Problems, p => p.File == "workflows/urgent.json" && p.Message.Contains("not used", StringComparison.Ordinal));
    }

    [Fact]
    public async Task VersionChangesWithContentOnly()
    {
        var same = FixtureRules.Sources();
        var edited = FixtureRules.With("replies.json", "兜底。", "兜底！");

        Assert.Equal(FixtureRules.Sources().Version, same.Version);
        Assert.NotEqual(same.Version, edited.Version);
        Assert.NotNull((await RuleSetCompiler.CompileAsync(edited, DateTimeOffset.UnixEpoch)).RuleSet);
    }

    [Fact]
    public async Task RuleAfterOneThatAlwaysMatchesIsAWarningNotARefusal()
    {
        var sources = FixtureRules.With(FixtureRules.Main, "\"Expression\": \"ticket.InArrears == true || ticket.SimActivated == true\"", "\"Expression\": \"true\"");

        var build = await RuleSetCompiler.CompileAsync(sources, DateTimeOffset.UnixEpoch);

        Assert.NotNull(build.RuleSet);
        var warnings = build.Problems.Where(p => p.Severity == ProblemSeverity.Warning).ToList();
        Assert.Equal(["R3_ExplicitFalse", "R4_Fallback"], warnings.Select(w => w.Rule));
        Assert.All(warnings, w => Assert.Contains("'R2_Second' always matches", w.Message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task RuleWithTheSameConditionAsAnEarlierOneIsAWarning()
    {
        var sources = FixtureRules.With(FixtureRules.Main, "\"Expression\": \"ticket.InArrears == true || ticket.SimActivated == true\"", "\"Expression\": \"ticket.InArrears  ==  true\"");

        var build = await RuleSetCompiler.CompileAsync(sources, DateTimeOffset.UnixEpoch);

        var warning = Assert.Single(build.Problems);
        Assert.Equal(ProblemSeverity.Warning, warning.Severity);
        Assert.Equal("R2_Second", warning.Rule);
        Assert.Contains("'R1_First' has the same condition", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExpressionErrorsAreReportedAlongsideOtherProblems()
    {
        var sources = FixtureRules.With(FixtureRules.Main, "\"Expression\": \"ticket.InArrears == true\",", "\"Expression\": \"ticket.InArears == true\",");
        sources = new RuleSources(sources.Files.ToDictionary(kv => kv.Key, kv => kv.Key == FixtureRules.Main
            ? kv.Value.Replace("\"reply\": \"false\"", "\"reply\": \"flase\"", StringComparison.Ordinal) : kv.Value));

        var build = await RuleSetCompiler.CompileAsync(sources, DateTimeOffset.UnixEpoch);

        Assert.Equal(["R1_First", "R3_ExplicitFalse"], build.Problems.Select(p => p.Rule));
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
    public void SchemaNamesTheRuleTheAllowedValuesAndTheClosestOne()
    {
        var sources = FixtureRules.With(FixtureRules.Main, "\"cause\": \"SECOND\", \"route\": \"noc\"", "\"cause\": \"SECOND\", \"route\": \"nco\"");

        var problem = Assert.Single(RuleSchemas.Validate(FixtureRules.Main, sources.Files[FixtureRules.Main]));

        Assert.Equal("R2_Second", problem.Rule);
        Assert.Equal(FixtureRules.LineOf(sources, FixtureRules.Main, "\"nco\""), problem.Line);
        Assert.EndsWith("'nco' is not an allowed value of \"route\" (frontDesk, noc, networkOptimization, customerService, "
            + "groupCustomerMaintenance). Did you mean 'noc'?", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"RuleName\": \"R1_First\"", "\"RuleName\": 5", "\"RuleName\" must be text (a JSON string)")]
    [InlineData("\"RuleName\": \"R1_First\"", "\"RuleName\": \"\"", "\"RuleName\" must not be empty")]
    [InlineData("\"Name\": \"missing\"", "\"Name\": \"1missing\"", "'1missing' is not the form \"Name\" takes (the pattern ^[A-Za-z_][A-Za-z0-9_]*$)")]
    [InlineData("\"RuleName\": \"R3_ExplicitFalse\",", "\"RuleName\": \"R3_ExplicitFalse\", \"AskFor\": [ \"billing\", \"billing\" ],", "\"AskFor\" names an item more than once; name each once")]
    public void SchemaSaysWhatAKeyTakesInWords(string from, string to, string message)
    {
        // ItemsNotUnique, StringTooShort and PatternMismatch read as NJsonSchema's names with a JSON path.
        var sources = FixtureRules.With(FixtureRules.Main, from, to);

        var problem = Assert.Single(RuleSchemas.Validate(FixtureRules.Main, sources.Files[FixtureRules.Main]));

        Assert.EndsWith(message, problem.Message, StringComparison.Ordinal);
        Assert.NotEqual("", problem.Rule);
    }

    [Theory]
    [InlineData("{ \"data\": \"Main\", \"voice\": \"Main\", \"coverage\": \"Main\", \"groupFault\": \"Main\" }",
        "{ \"data\": \"Mian\", \"voice\": \"Mian\", \"coverage\": \"Mian\", \"groupFault\": \"Mian\" }", "Mian", "Main")]
    [InlineData("[ \"Contact\", \"Urgent\" ]", "[ \"Contact\", \"Urgnet\" ]", "Urgnet", "Urgent")]
    public async Task AWorkflowNameMistypedInTheManifestIsTwoFindingsNotOnePerRule(string from, string to, string typed, string meant)
    {
        var sources = FixtureRules.With(RuleSources.ManifestFile, from, to);

        var build = await RuleSetCompiler.CompileAsync(sources, DateTimeOffset.UnixEpoch);

        Assert.False(build.Accepted);
        var errors = build.Problems.Where(p => p.Severity == ProblemSeverity.Error).ToList();
        Assert.Equal(2, errors.Count);
        var manifest = Assert.Single(errors, p => p.File == RuleSources.ManifestFile);
        Assert.Equal(typed, manifest.Rule);
        Assert.Equal(FixtureRules.LineOf(sources, RuleSources.ManifestFile, $"\"{typed}\""), manifest.Line);
        Assert.EndsWith($"Did you mean '{meant}'?", manifest.Message, StringComparison.Ordinal);
        Assert.Single(errors, p => p.Rule == meant && p.Message.Contains("is not used", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ARefusedManifestIsTheOneFindingNotEveryWorkflowUnused()
    {
        var sources = FixtureRules.With(RuleSources.ManifestFile, "\"defaultLanguage\": \"zh-CN\"", "\"defaultLanguage\": \"zh\"");

        var problem = await SingleProblem(sources);

        Assert.Equal((RuleSources.ManifestFile, "the default language 'zh' is not in \"languages\"."), (problem.File, problem.Message));
    }

    [Theory]
    [InlineData("[ \"Contact\", \"Urgent\" ]", "[ \"Contact\", \"Urgent\", \"Contact\" ]", "'Contact' is listed twice under \"policies\" (each policy runs once, in the order listed).")]
    [InlineData("[ \"zh-CN\", \"en\" ]", "[ \"zh-CN\", \"en\", \"EN\" ]", "'EN' is listed twice under \"languages\" (languages match ignoring case).")]
    [InlineData("[ \"zh-CN\", \"en\" ]", "[ \"zh-CN\", \"english\" ]", "'english' is not a language tag; name a language as a request's Accept-Language does, e.g. \"zh-CN\" or \"en\".")]
    public async Task AManifestListingANameTwiceOrALanguageThatIsNoTagIsOneFindingAtItsLine(string from, string to, string message)
    {
        // "english" was 74 findings, one per label and reply text, none at the manifest; a policy listed twice was said to
        // be "named both as a diagnosis and as a policy", without a line; "EN" beside "en" was accepted.
        var sources = FixtureRules.With(RuleSources.ManifestFile, from, to);

        var problem = await SingleProblem(sources);

        Assert.Equal((RuleSources.ManifestFile, message), (problem.File, problem.Message));
        Assert.Equal(FixtureRules.LineOf(sources, RuleSources.ManifestFile, to), problem.Line);
    }

    [Fact]
    public async Task ABrokenCauseCatalogueIsTheOneFindingNotEveryCauseATableNames()
    {
        // The shipped policies test "diagnosis.cause" in their tables; each such cell once read as an unknown cause too.
        var sources = ShippedRules.With(RuleSources.CausesFile, "\"causes\": {", "\"causes\": {\"");

        var problem = await SingleProblem(sources);

        Assert.Equal(RuleSources.CausesFile, problem.File);
        Assert.StartsWith("JSON syntax", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("4")]
    [InlineData("-1")]
    [InlineData("\"3\"")]
    public async Task AnEscalationLevelOutsideTheContractsIsRefusedAtItsRule(string level)
    {
        // The contract answers level 0-3; a level 4 was accepted (up to 9) and would have reached front-desk systems.
        var sources = ShippedRules.With("workflows/escalation.json", "\"level\": 3,", $"\"level\": {level},");

        var problem = await SingleProblem(sources);

        Assert.Equal(("workflows/escalation.json", "E1_ResolveLongOverdue"), (problem.File, problem.Rule));
        Assert.Equal("\"level\" is required: a whole number from 0 (nothing to do) to 3, the contract's levels.", problem.Message);
    }

    [Fact]
    public async Task ALanguageGivenTwiceInAnyCaseIsRefusedNotResolvedByOrder()
    {
        // Languages match case-insensitively, so "EN" beside "en" once served whichever came last, silently.
        var sources = FixtureRules.With(RuleSources.CausesFile, "\"en\": \"First\"", "\"EN\": \"FIRST!\", \"en\": \"First\"");

        var problem = await SingleProblem(sources);

        Assert.Equal((RuleSources.CausesFile, "FIRST", "the 'en' text is given twice (also as 'EN'): give each language once."),
            (problem.File, problem.Rule, problem.Message));
    }

    [Fact]
    public async Task ATextInALanguageTheRuleSetDoesNotServeIsAWarning()
    {
        var sources = FixtureRules.With(RuleSources.CausesFile, "\"en\": \"First\"", "\"en\": \"First\", \"en-GB\": \"First\"");

        var build = await RuleSetCompiler.CompileAsync(sources, DateTimeOffset.UnixEpoch);

        Assert.True(build.Accepted);
        var warning = Assert.Single(build.Problems);
        Assert.Equal(ProblemSeverity.Warning, warning.Severity);
        Assert.StartsWith("the 'en-GB' text is in a language this rule set does not serve (ruleset.json \"languages\": zh-CN, en)", warning.Message, StringComparison.Ordinal);
    }

    /// <summary>A workflow whose name or rule list is misspelt was also reported as "named by the manifest but defined
    /// nowhere" or as "having no enabled rule": the missing key is the one thing to fix.</summary>
    [Theory]
    [InlineData("\"WorkflowName\": \"Main\"", "\"WorkflowNmae\": \"Main\"", "\"WorkflowName\" is required.")]
    [InlineData("\"Rules\": [", "\"Rule\": [", "\"Rules\" is required.")]
    public async Task AMisspeltWorkflowKeyIsTheOneFindingNotAlsoAMissingOrEmptyWorkflow(string from, string to, string message)
    {
        var sources = FixtureRules.With("workflows/main.json", from, to);

        var build = await RuleSetCompiler.CompileAsync(sources, DateTimeOffset.UnixEpoch);

        Assert.False(build.Accepted);
        Assert.Collection(
            build.Problems.OrderBy(p => p.Line),
            p => Assert.Equal(("workflows/main.json", message), (p.File, p.Message)),
            p => Assert.StartsWith("unknown key", p.Message, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("actions.json", "\"actions\": {", "\"action\": {", "\"actions\" is required.")]
    [InlineData("causes.json", "\"FIRST\":    { \"group\": \"g\", \"label\": {", "\"FIRST\":    { \"group\": \"g\", \"lable\": {", "\"label\" is missing: the cause's name, per language.")]
    [InlineData("replies.json", "\"customer\": {", "\"custome\": {", "\"customer\" is missing: the text read to the customer, per language.")]
    [InlineData("replies.json", "\"templates\": {", "\"Templates\": {", "\"templates\" is required.")]
    [InlineData("causes.json", "\"causes\": {", "\"cuases\": {", "\"causes\" is required.")]
    [InlineData("causes.json", "\"groups\": {", "\"gruops\": {", "\"groups\" is required.")]
    public async Task AMisspeltCatalogueKeyIsFoundWhereItIsNotAgainInEveryRule(string file, string from, string to, string message)
    {
        // Without its list, the catalogue read as empty: every action code a rule names was reported unknown as well.
        var sources = FixtureRules.With(file, from, to);

        var build = await RuleSetCompiler.CompileAsync(sources, DateTimeOffset.UnixEpoch);

        Assert.False(build.Accepted);
        Assert.All(build.Problems, p => Assert.Equal(file, p.File));
        Assert.Contains(build.Problems, p => p.Message == message);
        // Nothing else: each misspelt key is its own two findings (what is missing, and the key with its suggestion).
        Assert.All(build.Problems, p => Assert.True(
            p.Message == message
                || (p.Message.StartsWith("unknown key", StringComparison.Ordinal) && p.Message.Contains("; did you mean", StringComparison.Ordinal)),
            p.ToString()));
    }

    [Fact]
    public void SchemaFlagsAMisspeltKeyOnItsLine()
    {
        var sources = FixtureRules.With(FixtureRules.Main, "\"Expression\": \"ticket.InArrears == true\",", "\"Expresion\": \"ticket.InArrears == true\",");

        var problems = RuleSchemas.Validate(FixtureRules.Main, sources.Files[FixtureRules.Main]).ToList();

        Assert.Contains(problems, p => p.Line == FixtureRules.LineOf(sources, FixtureRules.Main, "Expresion")
            && p.Message.Contains("\"Expresion\" is not an allowed key", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("ticket.GetType().Name == \\\"ComplaintTicket\\\"", "'GetType'")]
    [InlineData("ticket.Billing.GetType().Assembly.FullName != \\\"\\\"", "'GetType'")]
    [InlineData("ticket.Customer.Msisdn.GetType() != null", "'Msisdn' is personal data")]
    public async Task ExpressionsThatReachTheTypeSystemAreRefusedWithTheRuleNamed(string expression, string named)
    {
        var sources = FixtureRules.With(FixtureRules.Main, "\"ticket.InArrears == true\",", $"\"{expression}\",");

        var problem = await SingleProblem(sources);

        Assert.Equal("R1_First", problem.Rule);
        Assert.Equal(FixtureRules.LineOf(sources, FixtureRules.Main, "R1_First") + 1, problem.Line);
        Assert.Contains(named, problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LocalParametersAreCheckedToo()
    {
        var sources = FixtureRules.With(FixtureRules.Main, "ticket.Unknown(\\\"billing\\\")", "ticket.GetType().Name");

        var problem = await SingleProblem(sources);

        Assert.Equal("R0_Needs", problem.Rule);
        Assert.StartsWith("local parameter 'missing'", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StringMathAndListHelpersAreAllowed()
    {
        var sources = FixtureRules.With(FixtureRules.Main, "\"ticket.InArrears == true\",",
            "\"ticket.InArrears == true && (ticket.Location.Description == null || ticket.Location.Description.Trim().ToLower().StartsWith(\\\"gate\\\") || Math.Abs(ticket.Location.SignalBars ?? 0) < 6) && ticket.Unknown(\\\"billing\\\").Length == 0\",");

        var build = await RuleSetCompiler.CompileAsync(sources, DateTimeOffset.UnixEpoch);

        Assert.Empty(build.Problems);
    }
}
