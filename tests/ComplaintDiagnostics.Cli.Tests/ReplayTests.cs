using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using ComplaintDiagnostics.Cli.Replay;
using ComplaintDiagnostics.Samples;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace ComplaintDiagnostics.Cli.Tests;

public sealed class ReplayTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("cd-replay-");
    private readonly string _shippedRules = RepoPaths.Rules;

    public void Dispose() => _work.Delete(recursive: true);

    private string FilePath(string name) => Path.Combine(_work.FullName, name);

    private async Task<string> Generate(string name, int count, double wrongRate = 0.05, int seed = 7)
    {
        var run = await CliRun.Of("generate-history", "--out", FilePath(name), "--count", $"{count}", "--seed", $"{seed}", "--wrong-rate", $"{wrongRate}");
        Assert.Equal(0, run.ExitCode);
        return FilePath(name);
    }

    private async Task<(CliRun Run, JsonElement Report)> Replay(params string[] args)
    {
        var json = FilePath($"report-{Guid.NewGuid():N}.json");
        var run = await CliRun.Of(["replay", .. args, "--json", json]);
        return (run, File.Exists(json) ? JsonSerializer.Deserialize<JsonElement>(File.ReadAllText(json)) : default);
    }

    private const string Base = """
        "receivedAt":"2026-11-28T09:00:00+08:00","complaintType":"data","billing":"postpaid","dataFeatureEnabled":true,"roaming":"local","scope":"allTimesAllPlaces","frontDeskChecks":{"restarted":true,"settingsOk":true,"terminalOk":true}
        """;

    [Fact]
    public async Task ReportArithmeticMatchesAHandCheckedHistory()
    {
        // Predicted: arrears, arrears, alarm, investigation, needs info, investigation; one line malformed.
        File.WriteAllLines(FilePath("small.jsonl"),
        [
            $$"""{"ticketId":"a",{{Base}},"inArrears":true,"confirmedCause":"ACCOUNT_ARREARS","confirmedRoute":"frontDesk"}""",
            $$"""{"ticketId":"b",{{Base}},"inArrears":true,"confirmedCause":"NETWORK_ALARM"}""",
            $$"""{"ticketId":"c",{{Base}},"inArrears":false,"network":{"activeAlarms":true},"confirmedCause":"NETWORK_ALARM","confirmedRoute":"frontDesk"}""",
            $$"""{"ticketId":"d",{{Base}},"inArrears":false,"confirmedCause":"NETWORK_INVESTIGATION"}""",
            """{"ticketId":"e","complaintType":"data","confirmedCause":"WORK_ORDER_INCOMPLETE"}""",
            """{"ticketId":"f", this is not json""",
            $$"""{"ticketId":"g",{{Base}},"inArrears":false,"confirmedCause":"NETWORK_ALARM"}""",
        ]);

        // One line of seven is no JSON at all: allowed here, so that the rest is replayed and counted.
        var (run, report) = await Replay("--tickets", FilePath("small.jsonl"), "--rules", _shippedRules, "--max-unreadable-percent", "20");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(7, report.GetProperty("lines").GetInt32());
        Assert.Equal(1, report.GetProperty("unreadable").GetInt32());
        Assert.Equal(1, report.GetProperty("malformed").GetInt32());
        Assert.Equal(6, report.GetProperty("malformedLines")[0].GetProperty("line").GetInt32());
        Assert.Equal(6, report.GetProperty("evaluated").GetInt32());
        Assert.Equal(4, report.GetProperty("agreed").GetInt32());
        Assert.Equal(66.67, report.GetProperty("agreement").GetDouble());
        Assert.Equal(16.67, report.GetProperty("needsInfoRate").GetDouble());
        Assert.Equal(50.0, report.GetProperty("routeAgreement").GetDouble());
        var causes = report.GetProperty("causes").EnumerateArray().ToDictionary(c => c.GetProperty("cause").GetString()!);
        Assert.Equal(50.0, causes["ACCOUNT_ARREARS"].GetProperty("precision").GetDouble());
        Assert.Equal(100.0, causes["ACCOUNT_ARREARS"].GetProperty("recall").GetDouble());
        Assert.Equal(100.0, causes["NETWORK_ALARM"].GetProperty("precision").GetDouble());
        Assert.Equal(33.33, causes["NETWORK_ALARM"].GetProperty("recall").GetDouble());
        Assert.Equal(3, causes["NETWORK_ALARM"].GetProperty("support").GetInt32());
        Assert.Equal(50.0, causes["NETWORK_INVESTIGATION"].GetProperty("precision").GetDouble());
        var labels = report.GetProperty("confusion").GetProperty("labels").EnumerateArray().Select(l => l.GetString()).ToList();
        var matrix = report.GetProperty("confusion").GetProperty("matrix");
        Assert.Equal(1, matrix[labels.IndexOf("NETWORK_ALARM")][labels.IndexOf("ACCOUNT_ARREARS")].GetInt32());
        Assert.Equal(1, matrix[labels.IndexOf("NETWORK_ALARM")][labels.IndexOf("NETWORK_INVESTIGATION")].GetInt32());
        Assert.Equal(["b", "g"], report.GetProperty("disagreements").EnumerateArray().Select(d => d.GetProperty("ticketId").GetString()));
        Assert.Equal("D11_NetworkInvestigation", report.GetProperty("disagreements")[1].GetProperty("matchedRule").GetString());
        Assert.Contains("line 6: not JSON", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DisagreementsAreExactlyTheTicketsWhoseConfirmedCauseWasAltered()
    {
        var history = SyntheticHistory.Generate(600, seed: 3, wrongRate: 0.1).ToList();
        await using (var writer = new StreamWriter(FilePath("altered.jsonl")))
        {
            await SyntheticHistory.WriteAsync(writer, history, csv: false);
        }
        var altered = history.Where(t => t.ConfirmedCause != t.ReferenceCause).Select(t => t.Request.TicketId).ToList();

        var (_, report) = await Replay("--tickets", FilePath("altered.jsonl"), "--rules", _shippedRules);

        Assert.NotEmpty(altered);
        Assert.Equal(600, report.GetProperty("evaluated").GetInt32());
        Assert.Equal(altered, report.GetProperty("disagreements").EnumerateArray().Select(d => d.GetProperty("ticketId").GetString()));
    }

    [Fact]
    public async Task JsonLinesAndCsvGiveTheSameReport()
    {
        var jsonl = await Generate("h.jsonl", 300);
        var csv = await Generate("h.csv", 300);

        var (_, fromJson) = await Replay("--tickets", jsonl, "--rules", _shippedRules);
        var (_, fromCsv) = await Replay("--tickets", csv, "--rules", _shippedRules);

        // The same tickets, the same report; only line numbers differ (the CSV has a header line).
        Assert.Equal(300, fromCsv.GetProperty("evaluated").GetInt32());
        Assert.Equal(WithoutLineNumbers(fromJson), WithoutLineNumbers(fromCsv));
        Assert.Equal(
            fromJson.GetProperty("disagreements").EnumerateArray().Select(d => d.GetProperty("line").GetInt32() + 1),
            fromCsv.GetProperty("disagreements").EnumerateArray().Select(d => d.GetProperty("line").GetInt32()));
    }

    [Fact]
    public async Task RemoteReplayGivesTheSameReportAsInProcess()
    {
        var history = await Generate("remote.jsonl", 300);
        var port = Loopback.FreePort();
        // Without a record: with one, each replayed complaint is a decision and the next ones' area look-up finds it.
        using var service = ServiceFactory.Serving(_shippedRules, new Dictionary<string, string> { ["Decisions:Enabled"] = "false" });
        service.UseKestrel(port);
        service.StartServer();

        var (remoteRun, remote) = await Replay("--tickets", history, "--server", $"http://127.0.0.1:{port}");
        var (_, local) = await Replay("--tickets", history, "--rules", _shippedRules);

        Assert.True(remoteRun.ExitCode == 0, remoteRun.Output + remoteRun.Error);
        Assert.Equal(local.GetRawText(), remote.GetRawText());
    }

    [Fact]
    public async Task AConfirmedCauseWrittenAsItsLabelOrInAnotherCaseIsThatCauseInProcessAndAgainstAService()
    {
        // A ticketing system's export writes the cause as its staff chose it; each of these counted as a disagreement the
        // rules could never avoid. What names no cause is listed with the code it may have meant.
        File.WriteAllLines(FilePath("labels.jsonl"),
        [
            $$"""{"ticketId":"a",{{Base}},"inArrears":true,"confirmedCause":"ACCOUNT_ARREARS"}""",
            $$"""{"ticketId":"b",{{Base}},"inArrears":true,"confirmedCause":"account_arrears"}""",
            $$"""{"ticketId":"c",{{Base}},"inArrears":true,"confirmedCause":"欠费"}""",
            $$"""{"ticketId":"d",{{Base}},"inArrears":true,"confirmedCause":" Account in arrears "}""",
            $$"""{"ticketId":"e",{{Base}},"inArrears":true,"confirmedCause":"ACOUNT_ARREARS"}""",
            $$"""{"ticketId":"f",{{Base}},"inArrears":true,"confirmedCause":"FIBRE_CUT"}""",
        ]);
        var port = Loopback.FreePort();
        using var service = ServiceFactory.Serving(_shippedRules);
        service.UseKestrel(port);
        service.StartServer();

        var (run, local) = await Replay("--tickets", FilePath("labels.jsonl"), "--rules", _shippedRules);
        var (_, remote) = await Replay("--tickets", FilePath("labels.jsonl"), "--server", $"http://127.0.0.1:{port}");

        Assert.Equal(4, local.GetProperty("agreed").GetInt32());
        Assert.Equal(
            [("ACOUNT_ARREARS", 1, "ACCOUNT_ARREARS"), ("FIBRE_CUT", 1, null)],
            local.GetProperty("unknownConfirmedCauses").EnumerateArray().Select(u => (
                u.GetProperty("cause").GetString(), u.GetProperty("support").GetInt32(), u.TryGetProperty("meant", out var m) ? m.GetString() : null)));
        Assert.Contains("  ACOUNT_ARREARS: 1 ticket(s); did you mean ACCOUNT_ARREARS?\n  FIBRE_CUT: 1 ticket(s)\n", run.Output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Equal(local.GetRawText(), remote.GetRawText());
    }

    [Fact]
    public async Task CompareNamesExactlyTheTicketsWhoseAnswerChanged()
    {
        var history = SyntheticHistory.Generate(500, seed: 11, wrongRate: 0.05).ToList();
        await using (var writer = new StreamWriter(FilePath("cmp.jsonl")))
        {
            await SyntheticHistory.WriteAsync(writer, history, csv: false);
        }
        using var proposal = new TempRulesFolder();
        proposal.Edit("workflows/data.json", "\"cause\": \"ACCOUNT_ARREARS\", \"route\": \"frontDesk\"", "\"cause\": \"ACCOUNT_ARREARS\", \"route\": \"noc\"");
        var arrears = history.Where(t => t.ReferenceCause == "ACCOUNT_ARREARS").Select(t => t.Request.TicketId).ToList();

        var (run, report) = await Replay("--tickets", FilePath("cmp.jsonl"), "--rules", proposal.Path, "--baseline", _shippedRules);

        Assert.Equal(0, run.ExitCode);
        var changes = report.GetProperty("comparison").GetProperty("changes").EnumerateArray().ToList();
        Assert.NotEmpty(arrears);
        Assert.Equal(arrears, changes.Select(c => c.GetProperty("ticketId").GetString()));
        Assert.All(changes, c => Assert.Equal(["route"], c.GetProperty("changed").EnumerateArray().Select(x => x.GetString())));
    }

    /// <summary>What the shipped rules answer each ticket, by an independent path (the diagnoser, not replay).</summary>
    private static async Task<List<(string? TicketId, ComplaintDiagnostics.Contracts.DiagnoseResponse Answer)>> ShippedAnswers(
        IEnumerable<SyntheticHistory.Ticket> history)
    {
        var rules = (await ComplaintDiagnostics.Core.Rules.RuleSetCompiler.CompileAsync(
            ComplaintDiagnostics.Core.Rules.RuleSources.ReadFolder(RepoPaths.Rules), DateTimeOffset.UnixEpoch)).RuleSet!;
        var diagnoser = new ComplaintDiagnostics.Core.Diagnosis.Diagnoser(TimeProvider.System);
        var answers = new List<(string?, ComplaintDiagnostics.Contracts.DiagnoseResponse)>();
        foreach (var t in history)
        {
            answers.Add((t.Request.TicketId, await diagnoser.DiagnoseAsync(rules, t.Request, [])));
        }
        return answers;
    }

    private async Task<(List<SyntheticHistory.Ticket> History, string File)> WriteHistory(string name, int count, int seed)
    {
        var history = SyntheticHistory.Generate(count, seed, wrongRate: 0.05).ToList();
        await using (var writer = new StreamWriter(FilePath(name)))
        {
            await SyntheticHistory.WriteAsync(writer, history, csv: false);
        }
        return (history, FilePath(name));
    }

    [Fact]
    public async Task TheDecisionRecordReplaysAsAHistoryWithItsConfirmedCauses()
    {
        // A service records 120 complaints and the ticket system confirms 100 of them. Replaying the record gives the rules
        // what the service gave them (the complaint as received, and what the area look-up found where it left the area's
        // history unknown), so it agrees with the confirmed causes exactly as often as the service's own answers did.
        var store = Path.Combine(_work.FullName, "record", "decisions.db");
        var history = SyntheticHistory.Generate(120, seed: 5, wrongRate: 0.05).ToList();
        var served = new List<string>();
        using (var service = ServiceFactory.Serving(_shippedRules, new Dictionary<string, string>
        {
            ["ConnectionStrings:Decisions"] = $"Data Source={store}",
            ["Decisions:SpoolPath"] = Path.Combine(_work.FullName, "record", "spool"),
        }))
        {
            using var client = service.CreateClient();
            using var batch = await client.PostAsync(new Uri("/api/v1/diagnose/batch", UriKind.Relative), new StringContent(
                JsonSerializer.Serialize(history.Select(t => t.Request), ComplaintDiagnostics.Contracts.ContractJson.Options), System.Text.Encoding.UTF8, "application/json"));
            Assert.True(batch.IsSuccessStatusCode);
            served.AddRange((await batch.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().Select(a => a.GetProperty("cause").GetProperty("code").GetString()!));
            using var outcomes = await client.PostAsync(new Uri("/api/v1/outcomes", UriKind.Relative), new StringContent(
                JsonSerializer.Serialize(history.Take(100).Select(t => new { ticketId = t.Request.TicketId, confirmedCause = t.ConfirmedCause })),
                System.Text.Encoding.UTF8, "application/json"));
            Assert.True(outcomes.IsSuccessStatusCode, await outcomes.Content.ReadAsStringAsync());
            await HttpClientExtensions.Eventually(async () =>
                (await client.GetJsonAsync("/api/v1/rules/status")).GetProperty("decisions").GetProperty("stored").GetInt64() >= 120,
                TimeSpan.FromSeconds(20), "the batch on record");
        }

        var (run, report) = await Replay("--from-store", store, "--rules", _shippedRules, "--since", "3650d");

        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        Assert.Contains("100 recorded complaints with a confirmed cause", run.Output, StringComparison.Ordinal);
        Assert.Equal(100, report.GetProperty("evaluated").GetInt32());
        Assert.Equal(history.Take(100).Zip(served).Count(p => p.First.ConfirmedCause == p.Second), report.GetProperty("agreed").GetInt32());

        var (bad, _) = await Replay("--from-store", store, "--tickets", FilePath("x.jsonl"), "--rules", _shippedRules);
        Assert.Equal(2, bad.ExitCode);
    }

    [Fact]
    public async Task TicketsMovedToANewCauseAreReportedAsSuchAndAreNoRegression()
    {
        var (_, file) = await WriteHistory("new-cause.jsonl", 800, seed: 21);
        using var proposal = new TempRulesFolder();
        proposal.Edit("causes.json", "    \"NOT_REPRODUCED\":        {",
            "    \"NOT_REPRODUCED_ON_SITE\": { \"group\": \"other\", \"label\": { \"zh-CN\": \"现场测试未重现\", \"en\": \"Not reproduced on site\" } },\n    \"NOT_REPRODUCED\":        {");
        proposal.Edit("workflows/voice-and-coverage.json", "\"cause\": \"NOT_REPRODUCED\"", "\"cause\": \"NOT_REPRODUCED_ON_SITE\"");

        var (run, report) = await Replay("--tickets", file, "--rules", proposal.Path, "--baseline", _shippedRules);

        var comparison = report.GetProperty("comparison");
        var moved = comparison.GetProperty("movedToNewCause").GetProperty("NOT_REPRODUCED_ON_SITE").GetInt64();
        Assert.True(moved > 0, comparison.ToString());
        var cause = comparison.GetProperty("causes").EnumerateArray().Single(c => c.GetProperty("cause").GetString() == "NOT_REPRODUCED");
        Assert.True(cause.GetProperty("after").GetDouble() < cause.GetProperty("before").GetDouble());
        Assert.True(cause.GetProperty("movedToNewCause").GetInt64() > 0);
        Assert.False(cause.GetProperty("regressed").GetBoolean());
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("a cause that is new", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARewordedReplyNamesExactlyTheTicketsWhoseReplyChanged()
    {
        var (history, file) = await WriteHistory("reword.jsonl", 500, seed: 13);
        using var proposal = new TempRulesFolder();
        proposal.Edit("replies.json", "正在抢修中，修复后我们会及时通知您。", "正在全力抢修，修复后我们会第一时间通知您。");
        var expected = (await ShippedAnswers(history)).Where(a => a.Answer.Reply.TemplateId == "network.outage").Select(a => a.TicketId).ToList();

        var (run, report) = await Replay("--tickets", file, "--rules", proposal.Path, "--baseline", _shippedRules);

        Assert.Equal(0, run.ExitCode);
        Assert.NotEmpty(expected);
        var changes = report.GetProperty("comparison").GetProperty("changes").EnumerateArray().ToList();
        Assert.Equal(expected, changes.Select(c => c.GetProperty("ticketId").GetString()));
        Assert.All(changes, c => Assert.Equal(["replyText"], c.GetProperty("changed").EnumerateArray().Select(x => x.GetString())));
        Assert.Equal(expected.Count, report.GetProperty("comparison").GetProperty("changedParts").GetProperty("replyText").GetInt32());
    }

    [Fact]
    public async Task TheBaselineCanBeAGitRevisionReadWithoutTouchingTheWorkingTree()
    {
        var (history, file) = await WriteHistory("revision.jsonl", 500, seed: 13);
        using var repo = new TempGitRepo(_shippedRules);
        repo.Commit("Rules as shipped");
        repo.Edit("replies.json", "正在抢修中，修复后我们会及时通知您。", "正在全力抢修，修复后我们会第一时间通知您。");
        repo.Commit("Outage reply: more reassuring");
        var status = repo.Git("status", "--porcelain");
        var expected = (await ShippedAnswers(history)).Where(a => a.Answer.Reply.TemplateId == "network.outage").Select(a => a.TicketId).ToList();

        var (run, report) = await Replay("--tickets", file, "--rules", repo.Rules, "--baseline", "HEAD~1");
        var (unknown, _) = await Replay("--tickets", file, "--rules", repo.Rules, "--baseline", "v-no-such-tag");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(expected, report.GetProperty("comparison").GetProperty("changes").EnumerateArray().Select(c => c.GetProperty("ticketId").GetString()));
        Assert.Equal(status, repo.Git("status", "--porcelain"));
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("--baseline 'v-no-such-tag' is not a folder, nor a revision", unknown.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMovedDeadlineNamesExactlyTheTicketsWhoseDeadlineMoved()
    {
        var (history, file) = await WriteHistory("deadline.jsonl", 500, seed: 17);
        using var proposal = new TempRulesFolder();
        proposal.Edit("workflows/group-deadlines.json", "\"deadlines\": { \"contactByMinutes\": 30, \"resolveByMinutes\": 480 }", "\"deadlines\": { \"contactByMinutes\": 45, \"resolveByMinutes\": 480 }");
        // A local group's contact time moves from 30 to 45 minutes, except where a voice or coverage complaint's own
        // 30-minute call keeps it at 30 (the earliest wins).
        var expected = (await ShippedAnswers(history))
            .Where(a => a.Answer.Trace.Policies.Any(p => p.MatchedRule == "GD4_Local") && a.Answer.Trace.Workflow is "Data" or "GroupFault")
            .Select(a => a.TicketId).ToList();

        var (run, report) = await Replay("--tickets", file, "--rules", proposal.Path, "--baseline", _shippedRules);

        Assert.Equal(0, run.ExitCode);
        Assert.NotEmpty(expected);
        var changes = report.GetProperty("comparison").GetProperty("changes").EnumerateArray().ToList();
        Assert.Equal(expected, changes.Select(c => c.GetProperty("ticketId").GetString()));
        Assert.All(changes, c => Assert.Contains("deadlines", c.GetProperty("changed").EnumerateArray().Select(x => x.GetString())));
    }

    [Fact]
    public async Task TableRowsRewrittenAsTheirEquivalentExpressionsChangeNoAnswer()
    {
        var history = await Generate("equivalent.jsonl", 3000, seed: 23);
        using var proposal = new TempRulesFolder();
        // The shipped rows as they were written before the tables, expressions with escaped quotes and a magic local.
        foreach (var (file, row, expression) in new[]
        {
            ("workflows/data.json", "\"MustState\": [\n        \"billing\", \"inArrears\", \"dataFeatureEnabled\", \"roaming\", \"scope\",\n        \"frontDeskChecks.restarted\", \"frontDeskChecks.settingsOk\", \"frontDeskChecks.terminalOk\"\n      ],",
                "\"LocalParams\": [ { \"Name\": \"missing\", \"Expression\": \"ticket.Unknown(\\\"billing\\\", \\\"inArrears\\\", \\\"dataFeatureEnabled\\\", \\\"roaming\\\", \\\"scope\\\", "
                + "\\\"frontDeskChecks.restarted\\\", \\\"frontDeskChecks.settingsOk\\\", \\\"frontDeskChecks.terminalOk\\\")\" } ], \"Expression\": \"missing.Length > 0\","),
            ("workflows/data.json", "\"When\": { \"inArrears\": true }", "\"Expression\": \"ticket.InArrears == true\""),
            ("workflows/data.json", "\"When\": { \"frontDeskChecks.restarted\": false }", "\"Expression\": \"ticket.FrontDeskChecks.Restarted == false\""),
            ("workflows/data.json", "\"When\": { \"network.reproduced\": false, \"network.activeAlarms\": false, \"network.kpiAbnormal\": false }",
                "\"Expression\": \"ticket.Network.Reproduced == false && ticket.Network.ActiveAlarms == false && ticket.Network.KpiAbnormal == false\""),
            ("workflows/group-fault.json", "\"When\": { \"customer.tier\": [ null, \"public\" ] },\n      \"AskFor\": [ \"customer.tier\" ],",
                "\"LocalParams\": [ { \"Name\": \"missing\", \"Expression\": \"ticket.Fields(\\\"customer.tier\\\")\" } ], \"Expression\": \"ticket.Customer.Tier == null || ticket.Customer.Tier == \\\"public\\\"\","),
            ("workflows/group-deadlines.json", "\"When\": { \"customer.tier\": [ \"groupInterProvincial\", \"groupProvincial\" ], \"customer.specialCircumstances\": true }",
                "\"Expression\": \"(ticket.Customer.Tier == \\\"groupInterProvincial\\\" || ticket.Customer.Tier == \\\"groupProvincial\\\") && ticket.Customer.SpecialCircumstances == true\""),
            ("workflows/registration.json", "\"When\": { \"complaintType\": \"groupFault\", \"source\": { \"known\": true, \"not\": \"hotline10019\" } }",
                "\"Expression\": \"ticket.ComplaintType == \\\"groupFault\\\" && ticket.Source != null && ticket.Source != \\\"hotline10019\\\"\""),
            ("workflows/field-test.json", "\"When\": { \"diagnosis.cause\": \"FIELD_TEST_REQUIRED\", \"location.area\": \"urban\", \"location.indoor\": true }",
                "\"Expression\": \"diagnosis.Cause == \\\"FIELD_TEST_REQUIRED\\\" && ticket.Location.Area == \\\"urban\\\" && ticket.Location.Indoor == true\""),
        })
        {
            proposal.Edit(file, row, expression);
        }

        var (run, report) = await Replay("--tickets", history, "--rules", proposal.Path, "--baseline", _shippedRules);

        Assert.Equal(0, run.ExitCode);
        Assert.NotEqual(report.GetProperty("rulesVersion").GetString(), report.GetProperty("comparison").GetProperty("baselineVersion").GetString());
        Assert.Empty(report.GetProperty("comparison").GetProperty("changes").EnumerateArray());
    }

    [Theory]
    [InlineData(3, "jsonl")]
    [InlineData(4, "jsonl")]
    [InlineData(3, "csv")]
    public async Task ShardReportsMergeIntoExactlyTheSingleRunsReport(int shards, string format)
    {
        var history = await Generate($"shards.{format}", 1500, wrongRate: 0.1, seed: 29);
        // A few lines that cannot be read, and a ticket the rules refuse, spread over the shards.
        File.AppendAllLines(history, format == "csv" ? ["nope,1,2", ""] : ["not json", "{\"complaintType\":\"nope\",\"confirmedCause\":\"X\"}", "", "[1]"]);
        using var proposal = new TempRulesFolder();
        proposal.Edit("replies.json", "正在抢修中，修复后我们会及时通知您。", "正在全力抢修，修复后我们会第一时间通知您。");
        proposal.Edit("workflows/data.json", "\"When\": { \"inArrears\": true }", "\"When\": { \"inArrears\": true, \"billing\": \"ocs\" }");
        string[] common = ["--tickets", history, "--rules", proposal.Path, "--baseline", _shippedRules, "--allow-regression", "--max-unreadable-percent", "1"];

        var single = await CliRun.Of(["replay", .. common, "--json", FilePath("single.json")]);
        var parts = new List<string>();
        for (var k = 0; k < shards; k++)
        {
            parts.Add(FilePath($"shard-{k}.json"));
            Assert.Equal(0, (await CliRun.Of(["replay", .. common, "--shard", $"{k}/{shards}", "--json", parts[^1]])).ExitCode);
        }
        parts.Reverse();
        var merged = await CliRun.Of(["replay", "merge", .. parts, "--allow-regression", "--max-unreadable-percent", "1", "--json", FilePath("merged.json")]);

        Assert.Equal(0, single.ExitCode);
        Assert.Equal(0, merged.ExitCode);
        var report = JsonSerializer.Deserialize<JsonElement>(File.ReadAllText(FilePath("single.json")));
        Assert.True(report.GetProperty("malformed").GetInt32() >= 1);
        Assert.True(report.GetProperty("comparison").GetProperty("changed").GetInt32() > 0);
        Assert.True(report.GetProperty("disagreementCount").GetInt32() > 0);
        Assert.Equal(File.ReadAllBytes(FilePath("single.json")), File.ReadAllBytes(FilePath("merged.json")));
        static string Console(CliRun run) => run.Output[..run.Output.IndexOf("JSON report:", StringComparison.Ordinal)];
        Assert.Equal(Console(single), Console(merged));
    }

    [Fact]
    public async Task ReplayOnSeveralCoresWritesTheSingleThreadedReportByteForByte()
    {
        var history = await Generate("cores.jsonl", 2500, wrongRate: 0.1, seed: 31);
        File.AppendAllLines(history, ["not json", "{\"complaintType\":\"data\"}"]);
        using var proposal = new TempRulesFolder();
        proposal.Edit("replies.json", "正在抢修中，修复后我们会及时通知您。", "正在全力抢修，修复后我们会第一时间通知您。");
        string[] common = ["replay", "--tickets", history, "--rules", proposal.Path, "--baseline", _shippedRules, "--max-unreadable-percent", "1"];

        var single = await CliRun.Of([.. common, "--workers", "1", "--json", FilePath("one.json"), "--html", FilePath("one.html")]);
        var several = await CliRun.Of([.. common, "--workers", "3", "--json", FilePath("three.json"), "--html", FilePath("three.html")]);

        Assert.Equal(0, single.ExitCode);
        Assert.Equal(0, several.ExitCode);
        Assert.Equal(File.ReadAllBytes(FilePath("one.json")), File.ReadAllBytes(FilePath("three.json")));
        Assert.Equal(File.ReadAllBytes(FilePath("one.html")), File.ReadAllBytes(FilePath("three.html")));
        Assert.True(JsonSerializer.Deserialize<JsonElement>(File.ReadAllText(FilePath("one.json"))).GetProperty("comparison").GetProperty("changed").GetInt32() > 0);
    }

    [Fact]
    public async Task AHistorySavedOnWindowsReplaysAsTheSameTickets()
    {
        var history = await Generate("unix.jsonl", 400, seed: 5);
        var lines = File.ReadAllLines(history);
        // A byte order mark, CRLF line ends, blank lines between tickets; and one ticket whose description holds
        // a byte that is not UTF-8, read as the replacement character (a text reader's reading).
        var windows = FilePath("windows.jsonl");
        var bytes = new List<byte>(System.Text.Encoding.UTF8.GetPreamble());
        for (var i = 0; i < lines.Length; i++)
        {
            var line = System.Text.Encoding.UTF8.GetBytes(lines[i]);
            if (i == 10)
            {
                var at = lines[i].IndexOf("Site ", StringComparison.Ordinal);
                line = [.. line[..at], 0xFF, .. line[at..]];
            }
            bytes.AddRange(line);
            bytes.AddRange("\r\n \r\n"u8.ToArray());
        }
        File.WriteAllBytes(windows, [.. bytes]);

        var (_, clean) = await Replay("--tickets", history, "--rules", _shippedRules);
        var (_, saved) = await Replay("--tickets", windows, "--rules", _shippedRules, "--workers", "1");
        var (_, savedOnCores) = await Replay("--tickets", windows, "--rules", _shippedRules, "--workers", "2");

        Assert.Equal(400, saved.GetProperty("evaluated").GetInt32());
        Assert.Equal(0, saved.GetProperty("malformed").GetInt32());
        Assert.Equal(WithoutLineNumbers(clean), WithoutLineNumbers(saved));
        Assert.Equal(
            clean.GetProperty("disagreements").EnumerateArray().Select(d => (d.GetProperty("line").GetInt32() * 2) - 1),
            saved.GetProperty("disagreements").EnumerateArray().Select(d => d.GetProperty("line").GetInt32()));
        Assert.Equal(saved.ToString(), savedOnCores.ToString());
    }

    [Fact]
    public async Task MergeRefusesAnIncompleteOrMixedSetOfShards()
    {
        var history = await Generate("few.jsonl", 60);
        for (var k = 0; k < 2; k++)
        {
            await CliRun.Of("replay", "--tickets", history, "--rules", _shippedRules, "--shard", $"{k}/2", "--json", FilePath($"p{k}.json"));
        }
        await CliRun.Of("replay", "--tickets", history, "--rules", _shippedRules, "--json", FilePath("whole.json"));

        var missing = await CliRun.Of("replay", "merge", FilePath("p0.json"));
        var twice = await CliRun.Of("replay", "merge", FilePath("p0.json"), FilePath("p0.json"));
        var notShard = await CliRun.Of("replay", "merge", FilePath("p0.json"), FilePath("whole.json"));
        var badShard = await CliRun.Of("replay", "--tickets", history, "--rules", _shippedRules, "--shard", "2/2");

        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("missing or repeated: 1/2", missing.Error, StringComparison.Ordinal);
        Assert.Equal(2, twice.ExitCode);
        Assert.Equal(2, notShard.ExitCode);
        Assert.Equal(2, badShard.ExitCode);
    }

    [Fact]
    public async Task CompareFailsWhenACausesAgreementDropsUnlessAllowed()
    {
        var history = await Generate("drop.jsonl", 500, seed: 5);
        using var proposal = new TempRulesFolder();
        proposal.Edit("workflows/data.json", "\"When\": { \"inArrears\": true }", "\"When\": { \"inArrears\": true, \"billing\": \"ocs\" }");

        var (strict, report) = await Replay("--tickets", history, "--rules", proposal.Path, "--baseline", _shippedRules);
        var (allowed, _) = await Replay("--tickets", history, "--rules", proposal.Path, "--baseline", _shippedRules, "--allow-regression");

        Assert.Equal(1, strict.ExitCode);
        Assert.Contains("agreement drops for ACCOUNT_ARREARS", strict.Output, StringComparison.Ordinal);
        var arrears = report.GetProperty("comparison").GetProperty("causes").EnumerateArray().Single(c => c.GetProperty("cause").GetString() == "ACCOUNT_ARREARS");
        Assert.True(arrears.GetProperty("after").GetDouble() < arrears.GetProperty("before").GetDouble());
        Assert.Equal(0, allowed.ExitCode);
    }

    [Theory]
    [InlineData("99", 1)]
    [InlineData("50", 0)]
    [InlineData("150", 2)]
    public async Task MinAgreementGatesTheExitCode(string minimum, int exitCode)
    {
        var history = await Generate("gate.jsonl", 200, wrongRate: 0.2);

        var (run, _) = await Replay("--tickets", history, "--rules", _shippedRules, "--min-agreement", minimum);

        Assert.Equal(exitCode, run.ExitCode);
    }

    [Fact]
    public async Task UnreadableInputAndConflictingOptionsAreUsageErrors()
    {
        var history = await Generate("u.jsonl", 10);
        File.WriteAllText(FilePath("bad.csv"), "billing,nonsense,confirmedCause\npostpaid,1,X\n");

        Assert.Equal(2, (await Replay("--tickets", FilePath("missing.jsonl"))).Run.ExitCode);
        Assert.Equal(2, (await Replay("--tickets", FilePath("bad.csv"), "--rules", _shippedRules)).Run.ExitCode);
        Assert.Equal(2, (await Replay("--tickets", history, "--rules", _shippedRules, "--server", "http://127.0.0.1:1")).Run.ExitCode);
        Assert.Equal(2, (await Replay("--tickets", history, "--rules", Path.Combine(_work.FullName, "no-rules"))).Run.ExitCode);
    }

    [Fact]
    public async Task ReportsMaskTicketIdsAndStripControlCharacters()
    {
        // Two disagreements (the confirmed cause is not what the rules give) whose ids hold a phone number.
        var history = FilePath("private.jsonl");
        File.WriteAllLines(history,
        [
            $$"""{"ticketId":"desk-138 1234 5678",{{Base}},"inArrears":true,"confirmedCause":"NETWORK_ALARM"}""",
            $$"""{"ticketId":"１３８１２３４５６７８\n\u001b[31m","confirmedCause":"NETWORK_ALARM",{{Base}},"inArrears":true}""",
        ]);
        var html = FilePath("private.html");

        var (run, report) = await Replay("--tickets", history, "--rules", _shippedRules, "--html", html);

        foreach (var text in new[] { run.Output, report.GetRawText(), File.ReadAllText(html) })
        {
            var digits = new string([.. text.Where(char.IsDigit).Select(c => (char)('0' + (int)char.GetNumericValue(c)))]);
            Assert.DoesNotContain("13812345678", digits, StringComparison.Ordinal);
            Assert.DoesNotContain("\u001b", text, StringComparison.Ordinal);
            Assert.Contains("138****5678", text, StringComparison.Ordinal);
        }
    }

    [SkippableFact]
    public async Task HtmlReportRendersTheReportInABrowser()
    {
        HeadlessChromium.SkipUnlessInstalled();
        var history = await Generate("render.jsonl", 200, wrongRate: 0.1);
        var html = FilePath("render.html");
        var (run, report) = await Replay("--tickets", history, "--rules", _shippedRules, "--html", html);

        var dom = await HeadlessChromium.DumpDomAsync(new Uri(html).AbsoluteUri);

        Assert.Equal(0, run.ExitCode);
        var disagreements = System.Text.RegularExpressions.Regex.Match(dom, "<table id=\"disagreements\">(.*?)</table>", System.Text.RegularExpressions.RegexOptions.Singleline).Groups[1].Value;
        Assert.Equal(report.GetProperty("disagreements").GetArrayLength() + 1, System.Text.RegularExpressions.Regex.Count(disagreements, "<tr"));
        Assert.Contains($">{report.GetProperty("agreement").GetDouble().ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)}%</b>", dom, StringComparison.Ordinal);
        var chart = System.Text.RegularExpressions.Regex.Match(dom, "<svg id=\"cause-chart\".*?</svg>", System.Text.RegularExpressions.RegexOptions.Singleline).Value;
        Assert.Equal(report.GetProperty("causes").GetArrayLength() * 2, System.Text.RegularExpressions.Regex.Count(chart, "<rect "));
    }

    [Fact]
    public async Task ALabelSavedAsGbkIsListedWithHowToReadIt()
    {
        // Excel on a Chinese Windows saves CSV as GBK: "欠费" then reads as replacement characters, no cause at all.
        System.Text.Encoding.RegisterProvider(System.Text.CodePagesEncodingProvider.Instance);
        var gbk = System.Text.Encoding.GetEncoding("GBK");
        File.WriteAllBytes(FilePath("gbk.csv"), [
            .. "complaintType,billing,inArrears,dataFeatureEnabled,roaming,scope,confirmedCause\ndata,ocs,true,true,local,allTimesAllPlaces,"u8,
            .. gbk.GetBytes("欠费"), .. "\n"u8]);

        var (run, report) = await Replay("--tickets", FilePath("gbk.csv"), "--rules", _shippedRules);

        var unknown = Assert.Single(report.GetProperty("unknownConfirmedCauses").EnumerateArray());
        Assert.True(unknown.GetProperty("notUtf8").GetBoolean());
        Assert.False(unknown.TryGetProperty("meant", out _));
        Assert.Contains("ticket(s); the text is not UTF-8: was the history saved as GBK (ANSI)? Save it as UTF-8.", run.Output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task HtmlReportListsTheConfirmedCausesTheRulesDoNotHave()
    {
        HeadlessChromium.SkipUnlessInstalled();
        File.WriteAllLines(FilePath("unknown.jsonl"), [$$"""{"ticketId":"e",{{Base}},"inArrears":true,"confirmedCause":"ACOUNT_ARREARS"}"""]);
        var html = FilePath("unknown.html");
        await Replay("--tickets", FilePath("unknown.jsonl"), "--rules", _shippedRules, "--html", html);

        var dom = await HeadlessChromium.DumpDomAsync(new Uri(html).AbsoluteUri);

        Assert.Contains("<li>ACOUNT_ARREARS: 1 ticket(s); did you mean ACCOUNT_ARREARS?</li>", dom, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HtmlReportIsSelfContained()
    {
        var history = await Generate("html.jsonl", 100);
        var html = FilePath("report.html");

        var run = await CliRun.Of("replay", "--tickets", history, "--rules", _shippedRules, "--html", html, "--baseline", _shippedRules);
        var text = File.ReadAllText(html);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("<svg id=\"cause-chart\"", text, StringComparison.Ordinal);
        Assert.Contains("<script type=\"application/json\" id=\"report\">{", text, StringComparison.Ordinal);
        Assert.DoesNotContain("<script src", text, StringComparison.Ordinal);
        Assert.DoesNotContain("http", text.Replace("http-equiv", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MalformedCsvRowsAreCountedWithTheirLineNumbers()
    {
        var csv = await Generate("m.csv", 20);
        var lines = File.ReadAllLines(csv).ToList();
        lines[3] = lines[3].Replace(",true,", ",maybe,", StringComparison.Ordinal);
        lines.Insert(8, "only,three,fields");
        File.WriteAllLines(csv, lines);

        // A record of three fields could not be read at all (a delimiter or quoting slip): allowed here, and counted.
        var (run, report) = await Replay("--tickets", csv, "--rules", _shippedRules, "--max-unreadable-percent", "10");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(19, report.GetProperty("evaluated").GetInt32());
        Assert.Equal([4, 9], report.GetProperty("malformedLines").EnumerateArray().Select(m => m.GetProperty("line").GetInt32()));
    }

    [Fact]
    public async Task ALineWithAPropertyGivenTwiceIsMalformedAndTheReplayGoesOn()
    {
        // Each given twice: a contract field (also in another case, or nested), a label column, and a field nobody reads
        // in a line that is wrong besides (which once stopped the whole replay with an unhandled exception; a line is read
        // as the service reads a body, which ignores a field it does not read, so that line is refused for its type).
        File.WriteAllLines(FilePath("twice.jsonl"),
        [
            $$"""{"ticketId":"a",{{Base}},"inArrears":true,"confirmedCause":"ACCOUNT_ARREARS"}""",
            $$"""{"ticketId":"b",{{Base}},"inArrears":true,"inArrears":false,"confirmedCause":"ACCOUNT_ARREARS"}""",
            $$"""{"ticketId":"c",{{Base}},"inArrears":true,"INARREARS":false,"confirmedCause":"ACCOUNT_ARREARS"}""",
            $$"""{"ticketId":"d",{{Base}},"inArrears":true,"location":{"area":"urban","area":"rural"},"confirmedCause":"ACCOUNT_ARREARS"}""",
            $$"""{"ticketId":"e",{{Base}},"inArrears":true,"confirmedCause":"ACCOUNT_ARREARS","confirmedCause":"NETWORK_ALARM"}""",
            """{"ticketId":"f","complaintType":"dta","note":1,"note":2,"confirmedCause":"ACCOUNT_ARREARS"}""",
            $$"""{"ticketId":"g",{{Base}},"inArrears":true,"confirmedCause":"ACCOUNT_ARREARS"}""",
        ]);

        var (run, report) = await Replay("--tickets", FilePath("twice.jsonl"), "--rules", _shippedRules);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(2, report.GetProperty("evaluated").GetInt32());
        Assert.Equal(
            [(2, "inArrears"), (3, "inArrears"), (4, "location.area"), (5, "confirmedCause"), (6, "complaintType")],
            report.GetProperty("malformedLines").EnumerateArray().Select(m =>
                (m.GetProperty("line").GetInt32(), m.GetProperty("error").GetString()!.Split(':')[0])));
    }

    [Fact]
    public async Task AValueOfTheWrongTypeIsMalformedInTheServicesWordsNotDotNets()
    {
        // Each once read "The JSON value could not be converted to System.Nullable`1[System.Boolean]" (or to
        // ComplaintDiagnostics.Contracts.Location): a QA analyst's report named the service's .NET types.
        File.WriteAllLines(FilePath("types.jsonl"),
        [
            $$"""{"ticketId":"a",{{Base}},"inArrears":"yes","confirmedCause":"ACCOUNT_ARREARS"}""",
            $$"""{"ticketId":"b",{{Base}},"inArrears":true,"location":5,"confirmedCause":"ACCOUNT_ARREARS"}""",
            $$"""{"ticketId":"c",{{Base}},"inArrears":true,"location":{"signalBars":"three"},"confirmedCause":"ACCOUNT_ARREARS"}""",
            $$"""{"ticketId":"d",{{Base}},"inArrears":true,"confirmedCause":"ACCOUNT_ARREARS"}""",
        ]);

        var (run, report) = await Replay("--tickets", FilePath("types.jsonl"), "--rules", _shippedRules);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(
            ["inArrears: expected true or false.", "location: expected an object.", "location.signalBars: expected a whole number."],
            report.GetProperty("malformedLines").EnumerateArray().Select(m => m.GetProperty("error").GetString()));
    }

    [Fact]
    public async Task AKeyOneEditFromAContractNameIsMalformedWithTheNameMeant()
    {
        // Each was replayed with the field unknown: a whole export with "inArrear" would have dropped the agreement for
        // no reason the report showed. An export's own fields (customerName) and the contract's names in another case
        // are read as the service reads them, the keys inside such an object ("Location") included.
        File.WriteAllLines(FilePath("keys.jsonl"),
        [
            $$"""{"ticketId":"a",{{Base}},"inArrear":true,"confirmedCause":"ACCOUNT_ARREARS"}""",
            $$"""{"ticketId":"b",{{Base}},"inArrears":true,"location":{"are":"urban"},"confirmedCause":"ACCOUNT_ARREARS"}""",
            $$"""{"ticketId":"c",{{Base}},"in_arrears":true,"confirmedCause":"ACCOUNT_ARREARS"}""",
            $$"""{"ticketId":"d",{{Base}},"inArrears":true,"confirmedCaus":"ACCOUNT_ARREARS"}""",
            $$"""{"ticketId":"e",{{Base}},"InArrears":true,"customerName":"x","confirmedCause":"ACCOUNT_ARREARS"}""",
            $$"""{"ticketId":"f",{{Base}},"inArrears":true,"Location":{"are":"urban"},"confirmedCause":"ACCOUNT_ARREARS"}""",
        ]);

        var (run, report) = await Replay("--tickets", FilePath("keys.jsonl"), "--rules", _shippedRules);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(1, report.GetProperty("evaluated").GetInt32());
        Assert.Equal(
            [(1, "inArrear", "inArrears"), (2, "location.are", "location.area"), (3, "in_arrears", "inArrears"), (4, "confirmedCaus", "confirmedCause"),
                (5, "location.are", "location.area")],
            report.GetProperty("malformedLines").EnumerateArray().Select(m => m.GetProperty("error").GetString()!).Select((e, i) =>
                (i + 1, e.Split(':')[0], e.Split("did you mean '")[1].Split('\'')[0])));
    }

    [Fact]
    public async Task ALabelThatIsNotUtf8IsReadAsATextReaderReadsItAndTheReplayGoesOn()
    {
        // A label saved as GBK ended the whole replay with an unhandled exception; its bytes now read as U+FFFD, as a
        // description's do (AHistorySavedOnWindowsReplaysAsTheSameTickets), on one core and on two.
        byte[] gbk = [.. "{\"complaintType\":\"data\",\"confirmedCause\":\"AB"u8, 0xBD, 0xF0, .. "\"}\n"u8];
        File.WriteAllBytes(FilePath("gbk.jsonl"), [.. gbk, .. System.Text.Encoding.UTF8.GetBytes($$"""{"ticketId":"b",{{Base}},"inArrears":true,"confirmedCause":"ACCOUNT_ARREARS"}""" + "\n")]);

        foreach (var workers in new[] { "1", "2" })
        {
            var (run, report) = await Replay("--tickets", FilePath("gbk.jsonl"), "--rules", _shippedRules, "--workers", workers);

            Assert.Equal(0, run.ExitCode);
            Assert.Equal(2, report.GetProperty("evaluated").GetInt32());
            Assert.Equal(0, report.GetProperty("malformed").GetInt32());
        }
    }

    [Fact]
    public async Task ACsvHeaderNamingAnUnknownColumnIsRefusedWithTheColumnMeant()
    {
        File.WriteAllText(FilePath("typo.csv"), "complaintType,inArrear,region,confirmedCause\ndata,true,north,ACCOUNT_ARREARS\n");

        var (run, _) = await Replay("--tickets", FilePath("typo.csv"), "--rules", _shippedRules);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("CSV header names 2 column(s) that are not request fields: inArrear (did you mean 'inArrears'?), region.",
            run.Output + run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACsvHeaderNamingAColumnTwiceIsRefused()
    {
        File.WriteAllText(FilePath("twice.csv"), "complaintType,billing,billing,confirmedCause\ndata,ocs,postpaid,ACCOUNT_ARREARS\n");

        var (run, _) = await Replay("--tickets", FilePath("twice.csv"), "--rules", _shippedRules);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("CSV header names columns more than once: billing", run.Output + run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACsvNumberNoJsonCanHoldIsMalformedAndTheReplayGoesOn()
    {
        // "1e999" and "Infinity" parse as doubles; written into the request they once stopped the replay with an exception.
        File.WriteAllText(FilePath("numbers.csv"), string.Join('\n',
            "complaintType,location.latitude,location.signalBars,confirmedCause",
            "coverage,1e999,,WORK_ORDER_INCOMPLETE",
            "coverage,Infinity,,WORK_ORDER_INCOMPLETE",
            "coverage,NaN,,WORK_ORDER_INCOMPLETE",
            "coverage,,1e12,WORK_ORDER_INCOMPLETE",
            "coverage,31.2,3,WORK_ORDER_INCOMPLETE") + "\n");

        var (run, report) = await Replay("--tickets", FilePath("numbers.csv"), "--rules", _shippedRules);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(1, report.GetProperty("evaluated").GetInt32());
        Assert.Equal([2, 3, 4, 5], report.GetProperty("malformedLines").EnumerateArray().Select(m => m.GetProperty("line").GetInt32()));
    }

    private static string WithoutLineNumbers(JsonElement report)
    {
        var node = JsonNode.Parse(report.GetRawText())!;
        node.AsObject().Remove("physicalLines"); // a CSV's header line, a Windows file's blank lines
        foreach (var item in node["disagreements"]!.AsArray())
        {
            item!.AsObject().Remove("line");
        }
        return node.ToJsonString();
    }

}

/// <summary>The CLI's runtime counts calls for tiering at once (a replay's hot path is optimized sooner), from its
/// runtimeconfig, so that `dotnet run` and the image behave alike (the project file; docs/performance.md).</summary>
public sealed class CliRuntimeConfigTests
{
    [Fact]
    public void TieringCountsCallsAtOnce() =>
        Assert.Equal(0, RuntimeConfig.Knob("complaint-diagnostics", "System.Runtime.TieredCompilation.CallCountingDelayMs"));
}
