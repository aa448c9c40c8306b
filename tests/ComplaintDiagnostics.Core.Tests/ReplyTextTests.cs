using ComplaintDiagnostics.Contracts;
using ComplaintDiagnostics.Core.Diagnosis;
using ComplaintDiagnostics.Core.Rules;

namespace ComplaintDiagnostics.Core.Tests;

/// <summary>Replies for two readers, and their deadline placeholders: rendered in the request's offset, HH:mm on
/// the day of receipt and with the date otherwise, "as soon as possible" where the answer has no such deadline;
/// an unknown placeholder refused at load; a placeholder no answer of its rule can fill, warned about.</summary>
public sealed class ReplyTextTests
{
    private static readonly DateTimeOffset Received = new(2026, 11, 28, 9, 0, 0, TimeSpan.FromHours(8));
    private static readonly Dictionary<string, string> Asap = new() { ["zh-CN"] = "尽快", ["en"] = "as soon as possible" };

    [Theory]
    [InlineData("zh-CN", 30, "联系时限：09:30。")]
    [InlineData("en", 30, "联系时限：09:30。")]
    [InlineData("zh-CN", 24 * 60 + 45, "联系时限：11月29日 09:45。")]
    [InlineData("en", 24 * 60 + 45, "联系时限：29 Nov 09:45。")]
    public void ADeadlineReadsAsItsTimeOnTheDayOfReceiptElseWithItsDate(string language, int minutes, string expected)
    {
        var text = ReplyText.Render("联系时限：{contactBy}。", new Deadlines { ContactBy = Received.AddMinutes(minutes) }, Received, language, Asap);

        Assert.Equal(expected, text);
    }

    [Fact]
    public void ALongReplyWithEveryPlaceholderAndStrayBracesIsFilledInPlace()
    {
        // Longer than the renderer's stack buffer; braces that are no placeholder stay as written.
        var filler = new string('话', 300);
        var deadlines = new Deadlines { ContactBy = Received.AddMinutes(30), ResolveBy = Received.AddDays(1) };

        var text = ReplyText.Render($"{filler}{{contactBy}}/{{onSiteBy}}/{{resolveBy}} {{x}} {{{{contactBy}}}} {{open", deadlines, Received, "zh-CN", Asap);

        Assert.Equal($"{filler}09:30/尽快/11月29日 09:00 {{x}} {{{{contactBy}}}} {{open", text);
    }

    [Fact]
    public void ADeadlineIsWrittenInTheOffsetOfReceipt()
    {
        var text = ReplyText.Render("{resolveBy}", new Deadlines { ResolveBy = Received.AddHours(4).ToUniversalTime() }, Received, "en", Asap);

        Assert.Equal("13:00", text);
    }

    [Theory]
    [InlineData("zh-CN", "到场时限：尽快。")]
    [InlineData("en", "到场时限：as soon as possible。")]
    public void AMissingDeadlineReadsAsSoonAsPossible(string language, string expected)
    {
        Assert.Equal(expected, ReplyText.Render("到场时限：{onSiteBy}。", new Deadlines(), Received, language, Asap));
    }

    [Fact]
    public async Task AnswersCarryBothTextsWithTheirDeadlinesFilledIn()
    {
        var rules = (await RuleSetCompiler.CompileAsync(FixtureRules.Sources(), DateTimeOffset.UnixEpoch)).RuleSet!;
        var request = new DiagnoseRequest { ComplaintType = ComplaintType.Data, Billing = Billing.Ocs, InArrears = true, ReceivedAt = Received };

        var zh = await new Diagnoser(TimeProvider.System).DiagnoseAsync(rules, request, []);
        var en = await new Diagnoser(TimeProvider.System).DiagnoseAsync(rules, request, ["en"]);

        Assert.Equal(("第一条。", "第一条，解决时限：19:00。"), (zh.Reply.Text, zh.Reply.WorkOrderText));
        Assert.Equal(("The first row.", "The first row, resolve by: 19:00."), (en.Reply.Text, en.Reply.WorkOrderText));
    }

    [Fact]
    public async Task AnUnknownPlaceholderIsRefusedWithFileLineAndADidYouMean()
    {
        var sources = FixtureRules.With("replies.json", "解决时限：{resolveBy}", "解决时限：{resolvedBy}");

        var build = await RuleSetCompiler.CompileAsync(sources, DateTimeOffset.UnixEpoch);

        var problem = Assert.Single(build.Errors);
        Assert.Equal(("replies.json", "first"), (problem.File, problem.Rule));
        Assert.Equal(FixtureRules.LineOf(sources, "replies.json", "{resolvedBy}"), problem.Line);
        Assert.Contains("'{resolvedBy}'", problem.Message, StringComparison.Ordinal);
        Assert.Contains("Did you mean 'resolveBy'?", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("解决时限：{resolveBy", '{', "opens", "{resolveBy。")]
    [InlineData("解决时限：resolveBy}", '}', "closes", "}。")]
    [InlineData("解决时限：{{resolveBy}}", '{', "opens", "{{resolveBy}")]
    public async Task ABraceThatIsNoPlaceholderIsRefusedAndNamed(string text, char brace, string verb, string near)
    {
        // Each was accepted, and the customer would have heard the brace and the name as written.
        var sources = FixtureRules.With("replies.json", "解决时限：{resolveBy}", text);

        var build = await RuleSetCompiler.CompileAsync(sources, DateTimeOffset.UnixEpoch);

        var problem = Assert.Single(build.Errors);
        Assert.Equal(("replies.json", "first"), (problem.File, problem.Rule));
        Assert.Equal(FixtureRules.LineOf(sources, "replies.json", text), problem.Line);
        Assert.Contains($"has a '{brace}' that {verb} no placeholder (near '{near}')", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task APlaceholderNoAnswerOfItsRuleCanFillIsAWarning()
    {
        var sources = FixtureRules.With("replies.json", "第一条，解决时限：{resolveBy}。", "第一条，到场时限：{onSiteBy}。");

        var build = await RuleSetCompiler.CompileAsync(sources, DateTimeOffset.UnixEpoch);

        Assert.True(build.Accepted);
        var warning = Assert.Single(build.Problems);
        Assert.Equal((ProblemSeverity.Warning, "R1_First"), (warning.Severity, warning.Rule));
        Assert.Contains("{onSiteBy}", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ATemplateWithOneTextPerLanguageIsReadForBothReadersWithAWarning()
    {
        var sources = FixtureRules.With("replies.json",
            "\"fallback\": {\n      \"customer\": {\n        \"zh-CN\": \"兜底。\",\n        \"en\": \"The fallback.\"\n      },\n      \"workOrder\": {\n        \"zh-CN\": \"工单：兜底。\",\n        \"en\": \"Work order: The fallback.\"\n      }\n    }",
            "\"fallback\": { \"zh-CN\": \"兜底。\", \"en\": \"The fallback.\" }");

        var build = await RuleSetCompiler.CompileAsync(sources, DateTimeOffset.UnixEpoch);
        var answer = await new Diagnoser(TimeProvider.System).DiagnoseAsync(build.RuleSet!,
            new DiagnoseRequest { ComplaintType = ComplaintType.Data, Billing = Billing.Ocs, ReceivedAt = Received }, []);

        var warning = Assert.Single(build.Problems);
        Assert.Equal((ProblemSeverity.Warning, "fallback"), (warning.Severity, warning.Rule));
        Assert.Equal(("兜底。", "兜底。"), (answer.Reply.Text, answer.Reply.WorkOrderText));
    }
}
