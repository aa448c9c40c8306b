using ComplaintDiagnostics.Contracts;
using ComplaintDiagnostics.Core.Diagnosis;
using ComplaintDiagnostics.Core.Rules;

namespace ComplaintDiagnostics.Core.Tests;

/// <summary>
/// What the engine does with any rule set, shown on the small fixture in <c>tests/fixtures/engine-rules</c>:
/// first hit, unknown is not false, needs-info lists what is missing, deadlines merge (earliest wins), the most
/// urgent priority wins, actions merge per code, the reply language follows the caller. The procedure itself
/// (the shipped rules) is checked by its scenarios in <c>rules/tests</c>.
/// </summary>
public sealed class EngineBehaviourTests
{
    private static readonly DateTimeOffset Received = new(2026, 11, 28, 9, 0, 0, TimeSpan.FromHours(8));
    private static readonly Lazy<RuleSet> Fixture = new(() =>
        RuleSetCompiler.CompileAsync(RuleSources.ReadFolder(Testing.RepoPaths.EngineFixture), DateTimeOffset.UnixEpoch).GetAwaiter().GetResult().RuleSet
            ?? throw new InvalidOperationException("the engine fixture does not compile"));

    private static Task<DiagnoseResponse> Diagnose(DiagnoseRequest request, params string[] languages) =>
        new Diagnoser(TimeProvider.System).DiagnoseAsync(Fixture.Value, request with { ReceivedAt = Received }, languages);

    private static DiagnoseRequest Complete => new() { ComplaintType = ComplaintType.Data, Billing = Billing.Postpaid };

    [Fact]
    public async Task TheFirstMatchingRowWinsAndTheTraceEndsThere()
    {
        var answer = await Diagnose(Complete with { InArrears = true, SimActivated = true });

        Assert.Equal("FIRST", answer.Cause.Code);
        Assert.Equal("R1_First", answer.Trace.MatchedRule);
        Assert.Equal(["R0_Needs", "R1_First"], answer.Trace.Evaluated.Select(e => e.Rule));
        Assert.Equal([false, true], answer.Trace.Evaluated.Select(e => e.Matched));
    }

    [Fact]
    public async Task AFieldLeftOutIsUnknownNotFalse()
    {
        var unknown = await Diagnose(Complete);
        var stated = await Diagnose(Complete with { DataFeatureEnabled = false });

        Assert.Equal("FALLBACK", unknown.Cause.Code);
        Assert.Equal("EXPLICIT_FALSE", stated.Cause.Code);
    }

    [Fact]
    public async Task NeedsInfoListsTheMissingPaths()
    {
        var answer = await Diagnose(new DiagnoseRequest { ComplaintType = ComplaintType.Data, InArrears = true });

        Assert.Equal(DiagnosisStatus.NeedsInfo, answer.Status);
        Assert.Equal(["billing"], answer.MissingFields);
        Assert.Equal("R0_Needs", answer.Trace.MatchedRule);
    }

    [Fact]
    public async Task DeadlinesMergeAcrossRowsAndPoliciesEarliestWins()
    {
        var answer = await Diagnose(Complete with { InArrears = true, Customer = new Customer { Tier = CustomerTier.GroupLocal, SpecialCircumstances = true } });

        // Contact: 30 (Contact) and 15 (Urgent) -> 15. Resolve: 600 (R1) and 480 (Contact) -> 480.
        Assert.Equal(Received.AddMinutes(15), answer.Deadlines.ContactBy);
        Assert.Equal(Received.AddMinutes(480), answer.Deadlines.ResolveBy);
        Assert.Null(answer.Deadlines.OnSiteBy);
        // One callCustomer, due at the earliest any rule asked: contactBy (15) before 60 minutes.
        var call = Assert.Single(answer.Actions);
        Assert.Equal(("callCustomer", Received.AddMinutes(15), "致电客户"), (call.Code, call.DueBy, call.Label));
        Assert.Equal([new PolicyTrace("Contact", "C1_Local"), new PolicyTrace("Urgent", "U1_Special")], answer.Trace.Policies);
    }

    [Fact]
    public async Task TheMostUrgentPriorityWins()
    {
        var urgent = await Diagnose(Complete with { DataFeatureEnabled = false, Customer = new Customer { SpecialCircumstances = true } });
        var plain = await Diagnose(Complete with { DataFeatureEnabled = false });

        Assert.Equal(Priority.High, urgent.Priority);
        Assert.Equal(Priority.Normal, plain.Priority);
    }

    [Theory]
    [InlineData(new string[0], "zh-CN", "兜底。")]
    [InlineData(new[] { "en" }, "en", "The fallback.")]
    [InlineData(new[] { "en-GB" }, "en", "The fallback.")]
    [InlineData(new[] { "fr", "en" }, "en", "The fallback.")]
    [InlineData(new[] { "fr" }, "zh-CN", "兜底。")]
    [InlineData(new[] { "zh" }, "zh-CN", "兜底。")]
    public async Task TheReplyLanguageFollowsTheCallersPreferenceElseTheDefault(string[] preferred, string language, string text)
    {
        var answer = await Diagnose(Complete, preferred);

        Assert.Equal((language, text), (answer.Reply.Language, answer.Reply.Text));
        Assert.Equal(language == "en" ? "Fallback" : "兜底", answer.Cause.Label);
        var labelled = await Diagnose(Complete with { Customer = new Customer { Tier = CustomerTier.GroupLocal } }, preferred);
        Assert.Equal(language == "en" ? "Call the customer" : "致电客户", Assert.Single(labelled.Actions).Label);
    }
}
