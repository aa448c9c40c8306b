using System.Net;
using System.Text.Json;
using ComplaintDiagnostics.Api.Tests.Infrastructure;

namespace ComplaintDiagnostics.Api.Tests;

/// <summary>Edits to real files on disk, picked up by the running service without a restart. The service runs on
/// a copy of the engine fixture (tests/fixtures/engine-rules), so a NOC edit of the shipped rules changes nothing here.</summary>
public sealed class ReloadTests() : TempRulesService(RepoPaths.EngineFixture)
{
    private const string Main = "workflows/main.json";
    private const string R1Condition = "\"Expression\": \"ticket.InArrears == true\",";
    private static readonly string First = Complaint.Data("inArrears=true");

    private static readonly TimeSpan Within = HttpClientExtensions.ReloadDeadline;

    [Fact]
    public async Task EditedReplyIsServedWithoutRestart()
    {
        var before = await Client.DiagnoseAsync(First);

        Rules.Edit("replies.json", "第一条。", "第一条，如再次出现请拨打10010。");

        await HttpClientExtensions.Eventually(async () =>
        {
            var after = await Client.DiagnoseAsync(First);
            return after.Reply.Text.EndsWith("如再次出现请拨打10010。", StringComparison.Ordinal) && after.RulesVersion != before.RulesVersion;
        }, Within, "the edited reply is served");
    }

    [Fact]
    public async Task ReorderedRulesChangeWhichCauseWins()
    {
        Assert.Equal("FIRST", (await Client.DiagnoseAsync(First)).Cause.Code);

        // Make R1 require something else: R2 is now the first to match.
        Rules.Edit(Main, R1Condition, "\"Expression\": \"ticket.InArrears == true && ticket.Billing == \\\"ocs\\\"\",");

        await HttpClientExtensions.Eventually(
            async () => (await Client.DiagnoseAsync(First)).Cause.Code == "SECOND", Within, "the edited rule decides");
    }

    [Fact]
    public async Task AnEditThatLeavesRulesUnableToWinIsServedAndTheLogNamesEachOfThem()
    {
        // A condition deleted by mistake makes every rule below it dead. Such an edit is accepted (an always-true rule
        // is also how an outage is put to every complaint on purpose), so whoever watches the log must see which rules
        // can no longer win, not only whoever reads /rules/status: the line used to read "accepted and in service".
        Rules.Edit(Main, R1Condition, "\"Expression\": \"true\",");

        await HttpClientExtensions.Eventually(
            async () => (await Client.DiagnoseAsync(Complaint.Data("inArrears=false"))).Cause.Code == "FIRST", Within, "the edit is served");
        var line = await Factory.Logs.WaitForAsync(l => l.Contains("accepted and in service with 3 warning(s):", StringComparison.Ordinal), "the warnings");
        foreach (var rule in new[] { "R2_Second", "R3_ExplicitFalse", "R4_Fallback" })
        {
            Assert.Contains($"{rule}: warning: this rule can never win: the earlier rule 'R1_First' always matches.", line, StringComparison.Ordinal);
        }
    }

    /// <summary>Waits until the last attempt is refused; its one problem must name R1 in main.json at the line of <paramref name="typo"/>.</summary>
    private async Task<(JsonElement Status, JsonElement Problem)> RefusedAsync(string what, string typo)
    {
        JsonElement status = default;
        await HttpClientExtensions.Eventually(async () =>
        {
            status = await Client.GetJsonAsync("/api/v1/rules/status");
            return status.GetProperty("lastAttempt").GetProperty("accepted").GetBoolean() == false;
        }, Within, what);
        var problem = Assert.Single(status.GetProperty("lastAttempt").GetProperty("problems").EnumerateArray());
        Assert.Equal(Main, problem.GetProperty("file").GetString());
        Assert.Equal("R1_First", problem.GetProperty("rule").GetString());
        Assert.Equal(Rules.LineOf(Main, typo), problem.GetProperty("line").GetInt32());
        return (status, problem);
    }

    [Fact]
    public async Task ATableRowEditIsServedAndAMisspeltColumnIsRefusedWhileTheLastGoodRulesKeepServing()
    {
        // The same condition as a table row: the same answers, now with the row's cells in the trace.
        Rules.Edit(Main, R1Condition, "\"When\": { \"inArrears\": true },");
        await HttpClientExtensions.Eventually(async () => (await Client.DiagnoseAsync(First)).Trace.When is { Count: 1 }, Within, "the table row is served");
        var served = await Client.DiagnoseAsync(First);
        Assert.Equal("FIRST", served.Cause.Code);
        Assert.Equal("true", served.Trace.When!["inArrears"]);

        Rules.Edit(Main, "\"When\": { \"inArrears\": true },", "\"When\": { \"inArrers\": true },");
        var (_, problem) = await RefusedAsync("the misspelt column is refused", "inArrers");
        Assert.Contains("Did you mean 'inArrears'?", problem.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(served.RulesVersion, (await Client.DiagnoseAsync(First)).RulesVersion);
    }

    [Fact]
    public async Task BrokenEditIsRefusedAndTheLastGoodRulesKeepServing()
    {
        var before = await Client.DiagnoseAsync(First);

        Rules.Edit(Main, R1Condition, "\"Expression\": \"ticket.InArears == true\",");

        var (status, problem) = await RefusedAsync("the broken edit is refused", "ticket.InArears");
        Assert.Contains("Did you mean 'InArrears'?", problem.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(before.RulesVersion, status.GetProperty("servingVersion").GetString());

        var after = await Client.DiagnoseAsync(First);
        Assert.Equal(before.RulesVersion, after.RulesVersion);
        Assert.Equal("FIRST", after.Cause.Code);
    }

    /// <summary>A rule name is data in logs too: one with ESC and a newline was accepted, and a forged "Diagnosed ticket
    /// FORGED" line followed every diagnosis. Such a name is refused at its line, with the character named, and no log
    /// line carries the raw bytes.</summary>
    [Theory]
    [InlineData("R1\\u001b[2J\\nDiagnosed ticket FORGED", "U+001B, a control character")]
    [InlineData("R1\\u202eemiT", "U+202E, an invisible formatting character")]
    [InlineData("R1<img src=x onerror=alert(1)>", "'<'")]
    [InlineData("R1\\u2028next", "U+2028, a line break")]
    public async Task ARuleNameThatCouldForgeALogLineIsRefused(string name, string named)
    {
        var before = await Client.DiagnoseAsync(First);
        Rules.Edit(Main, "\"RuleName\": \"R1_First\"", $"\"RuleName\": \"{name}\"");

        JsonElement status = default;
        await HttpClientExtensions.Eventually(async () =>
        {
            status = await Client.GetJsonAsync("/api/v1/rules/status");
            return !status.GetProperty("lastAttempt").GetProperty("accepted").GetBoolean();
        }, Within, "the name is refused");
        var problem = Assert.Single(status.GetProperty("lastAttempt").GetProperty("problems").EnumerateArray());

        Assert.Contains($"holds {named}, which a name may not hold", problem.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(Main, problem.GetProperty("file").GetString());
        Assert.Equal(before.RulesVersion, (await Client.DiagnoseAsync(First)).RulesVersion);
        var refusal = await Factory.Logs.WaitForAsync(l => l.Contains("refused with 1 problem(s)", StringComparison.Ordinal), "the refusal's log line");
        Assert.DoesNotContain(Factory.Logs.Lines, l => l.Any(c => char.IsControl(c) && c != '\n' && c != '\r') || l.Contains('\u202e', StringComparison.Ordinal) || l.Contains('\u2028', StringComparison.Ordinal));
        Assert.DoesNotContain(Factory.Logs.Lines, l => l.Split('\n').Any(part => part.StartsWith("Diagnosed ticket FORGED", StringComparison.Ordinal)));
        Assert.Contains("rule name", refusal, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JsonSyntaxErrorIsRefusedWithItsLine()
    {
        var before = await Client.DiagnoseAsync(Complaint.Data());
        File.WriteAllText(Rules.File("replies.json"), "{\n  \"templates\": {\n    \"a\": { \"zh-CN\": \"x\" \n  }\n");

        JsonElement problem = default;
        await HttpClientExtensions.Eventually(async () =>
        {
            var status = await Client.GetJsonAsync("/api/v1/rules/status");
            if (status.GetProperty("lastAttempt").GetProperty("accepted").GetBoolean())
            {
                return false;
            }
            problem = status.GetProperty("lastAttempt").GetProperty("problems")[0];
            return true;
        }, Within, "the syntax error is refused");

        Assert.Equal("replies.json", problem.GetProperty("file").GetString());
        Assert.True(problem.GetProperty("line").GetInt32() >= 3);
        Assert.Equal(before.RulesVersion, (await Client.DiagnoseAsync(Complaint.Data())).RulesVersion);
    }

    [Fact]
    public async Task FixingARefusedEditPutsItIntoService()
    {
        Rules.Edit(Main, R1Condition, "\"Expression\": \"ticket.InArears == true\",");
        await HttpClientExtensions.Eventually(async () =>
            !(await Client.GetJsonAsync("/api/v1/rules/status")).GetProperty("lastAttempt").GetProperty("accepted").GetBoolean(),
            Within, "the broken edit is refused");

        Rules.Edit(Main, "ticket.InArears == true", "ticket.InArrears == true && ticket.Billing == \\\"ocs\\\"");

        await HttpClientExtensions.Eventually(async () =>
            (await Client.DiagnoseAsync(First)).Cause.Code == "SECOND",
            Within, "the fixed edit is served");
    }

    [Fact]
    public async Task HistoryListsAcceptedVersionsWithWhatChanged()
    {
        var first = await Client.DiagnoseAsync(First);
        Rules.Edit("replies.json", "兜底。", "兜底（新）。");
        Rules.Edit(Main, "ticket.DataFeatureEnabled == false &&", "ticket.DataFeatureEnabled == false && ticket.Roaming != \\\"roamingIn\\\" &&");

        var edited = Core.Rules.RuleSources.ReadFolder(Rules.Path).Version;

        JsonElement history = default;
        await HttpClientExtensions.Eventually(async () =>
        {
            history = await Client.GetJsonAsync("/api/v1/rules/history");
            return history.GetProperty("loaded")[0].GetProperty("version").GetString() == edited;
        }, Within, "the edit appears in the history");

        // Newest first, back to the version the service started with; a folder outside Git has only this replica's memory.
        Assert.Equal("memory", history.GetProperty("source").GetString());
        Assert.False(history.TryGetProperty("commits", out _));
        var entries = history.GetProperty("loaded").EnumerateArray().ToList();
        Assert.Equal(first.RulesVersion, entries[^1].GetProperty("version").GetString());
        Assert.Equal(["Main/R3_ExplicitFalse", "reply fallback"], entries[..^1]
            .SelectMany(e => e.GetProperty("changes").GetProperty("modified").EnumerateArray().Select(m => m.GetString())).Order());
        Assert.All(entries[..^1], e => Assert.Empty(e.GetProperty("changes").GetProperty("added").EnumerateArray()));
    }

    [Fact]
    public async Task TwoFileEditIsNeverServedHalfApplied()
    {
        // R1: the reply text lives in replies.json, the route in main.json. Each half alone is a valid rule set.
        var complaint = First;
        var seen = new List<(bool NewText, bool NewRoute)>();
        using var stop = new CancellationTokenSource();
        var watcher = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var answer = await Client.DiagnoseAsync(complaint);
                lock (seen)
                {
                    seen.Add((answer.Reply.Text.Contains("（新）", StringComparison.Ordinal), answer.Route == ComplaintDiagnostics.Contracts.Route.Noc));
                }
            }
        });

        Rules.Edit("replies.json", "第一条。", "第一条（新）。");
        Rules.Edit(Main, "\"cause\": \"FIRST\", \"route\": \"frontDesk\"", "\"cause\": \"FIRST\", \"route\": \"noc\"");

        bool Seen((bool, bool) state)
        {
            lock (seen)
            {
                return seen.Contains(state);
            }
        }

        await HttpClientExtensions.Eventually(() => Task.FromResult(Seen((true, true))), Within, "the whole edit is served");
        await stop.CancelAsync();
        await watcher;
        Assert.False(Seen((true, false)), "new reply with the old route was served");
        Assert.False(Seen((false, true)), "old reply with the new route was served");
    }

    [Fact]
    public async Task DeletedOrEmptiedFolderKeepsTheLastGoodRulesServing()
    {
        var before = await Client.DiagnoseAsync(Complaint.Data());
        var backup = Path.Combine(Path.GetTempPath(), "cd-backup-" + Guid.NewGuid().ToString("N"));
        Directory.Move(Rules.Path, backup);

        await HttpClientExtensions.Eventually(async () =>
            (await Client.GetJsonAsync("/api/v1/rules/status")).GetProperty("lastAttempt").GetProperty("problems")
                .EnumerateArray().Any(p => p.GetProperty("message").GetString()!.Contains("cannot be read", StringComparison.Ordinal)),
            Within, "the missing folder is reported");
        Assert.Equal(before.RulesVersion, (await Client.DiagnoseAsync(Complaint.Data())).RulesVersion);

        Directory.CreateDirectory(Rules.Path);
        await HttpClientExtensions.Eventually(async () =>
            (await Client.GetJsonAsync("/api/v1/rules/status")).GetProperty("lastAttempt").GetProperty("problems")
                .EnumerateArray().Any(p => p.GetProperty("message").GetString() == "the file is missing."),
            Within, "the empty folder is reported");
        Assert.Equal(before.RulesVersion, (await Client.DiagnoseAsync(Complaint.Data())).RulesVersion);

        Directory.Delete(Rules.Path);
        Directory.Move(backup, Rules.Path);
        await HttpClientExtensions.Eventually(async () =>
            (await Client.GetJsonAsync("/api/v1/rules/status")).GetProperty("lastAttempt").GetProperty("accepted").GetBoolean(),
            Within, "the restored folder is accepted again");
    }

}

public sealed class NoRulesTests() : TempRulesService(copyShippedRules: false)
{
    [Fact]
    public async Task WithoutValidRulesDiagnoseAnswers503AndReadyzIsDown()
    {
        using var diagnose = await Client.PostJsonAsync("/api/v1/diagnose", Complaint.Data());
        using var ready = await Client.GetAsync(new Uri("/readyz", UriKind.Relative));
        using var alive = await Client.GetAsync(new Uri("/healthz", UriKind.Relative));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, diagnose.StatusCode);
        Assert.Equal("application/problem+json", diagnose.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
    }

    [Fact]
    public async Task ServiceBecomesReadyWhenValidRulesAppear()
    {
        RepoPaths.CopyRules(RepoPaths.EngineFixture, Rules.Path);

        await HttpClientExtensions.Eventually(async () =>
        {
            using var ready = await Client.GetAsync(new Uri("/readyz", UriKind.Relative));
            return ready.StatusCode == HttpStatusCode.OK;
        }, HttpClientExtensions.ReloadDeadline, "readyz turns OK");
        Assert.Equal("FIRST", (await Client.DiagnoseAsync(Complaint.Data("inArrears=true"))).Cause.Code);
    }
}
