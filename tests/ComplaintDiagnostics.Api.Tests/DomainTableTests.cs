using ComplaintDiagnostics.Api.Tests.Infrastructure;
using ComplaintDiagnostics.Contracts;

namespace ComplaintDiagnostics.Api.Tests;

/// <summary>Every row of domain.md's tables, through the real pipeline and the shipped rules.</summary>
public sealed class DomainTableTests(ServiceFactory factory) : IClassFixture<ServiceFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Theory]
    [InlineData("D1_AccountInArrears", "inArrears=true", "ACCOUNT_ARREARS", "account", "frontDesk")]
    [InlineData("D2_DataFeatureDisabled", "dataFeatureEnabled=false", "DATA_FEATURE_DISABLED", "account", "frontDesk")]
    [InlineData("D3_SimNotActivated", "simActivated=false", "SIM_NOT_ACTIVATED", "account", "frontDesk")]
    [InlineData("D4_RestartNotTried", "frontDeskChecks.restarted=false", "RESTART_NOT_TRIED", null, "frontDesk")]
    [InlineData("D5_DeviceSettings", "frontDeskChecks.restarted=true; frontDeskChecks.settingsOk=false", "DEVICE_SETTINGS", "settings", "frontDesk")]
    [InlineData("D6_TerminalFault", "frontDeskChecks.settingsOk=true; frontDeskChecks.terminalOk=false", "TERMINAL_FAULT", "terminal", "frontDesk")]
    [InlineData("D7_NetworkAlarm", "network.activeAlarms=true; network.kpiAbnormal=true", "NETWORK_ALARM", "other", "noc")]
    [InlineData("D8_NetworkKpiDegraded", "network.kpiAbnormal=true", "NETWORK_KPI_DEGRADED", "other", "noc")]
    [InlineData("D9_UsageOrUnderstanding", "scope=\"specificService\"", "USAGE_UNDERSTANDING", "usage", "frontDesk")]
    [InlineData("D9_UsageOrUnderstanding", "speedThrottled=true; symptom=\"slow\"", "USAGE_UNDERSTANDING", "usage", "frontDesk")]
    [InlineData("D10_NotReproduced", "network.reproduced=false", "NOT_REPRODUCED", "other", "frontDesk")]
    [InlineData("D11_NetworkInvestigation", "", "NETWORK_INVESTIGATION", "other", "noc")]
    [InlineData("D11_NetworkInvestigation", "speedThrottled=true; symptom=\"dropping\"", "NETWORK_INVESTIGATION", "other", "noc")]
    public async Task DataComplaintRowsPickTheirCause(string rule, string edits, string cause, string? group, string route)
    {
        var answer = await _client.DiagnoseAsync(Complaint.Data(edits));

        Assert.Equal(DiagnosisStatus.Diagnosed, answer.Status);
        Assert.Equal(cause, answer.Cause.Code);
        Assert.Equal(group, answer.Cause.Group);
        Assert.Equal(route, ContractJson.WireName(answer.Route));
        Assert.Equal(rule, answer.Trace.MatchedRule);
        Assert.Equal("Data", answer.Trace.Workflow);
        Assert.Empty(answer.MissingFields);
    }

    [Fact]
    public async Task EarlierRowWinsWhenSeveralMatchAndLaterRowsAreNotEvaluated()
    {
        var answer = await _client.DiagnoseAsync(Complaint.Data("inArrears=true; dataFeatureEnabled=false; network.activeAlarms=true"));

        Assert.Equal("ACCOUNT_ARREARS", answer.Cause.Code);
        Assert.Equal(["D0_WorkOrderIncomplete", "D1_AccountInArrears"], answer.Trace.Evaluated.Select(e => e.Rule));
        Assert.Equal([false, true], answer.Trace.Evaluated.Select(e => e.Matched));
    }

    [Fact]
    public async Task FallbackAnswerTracesEveryRuleAsNotMatched()
    {
        var rules = await _client.GetJsonAsync("/api/v1/rules");
        var data = rules.GetProperty("workflows").EnumerateArray().Single(w => w.GetProperty("name").GetString() == "Data");
        var names = data.GetProperty("rules").EnumerateArray().Select(r => r.GetProperty("name").GetString()).ToList();

        var answer = await _client.DiagnoseAsync(Complaint.Data());

        Assert.Equal(names, answer.Trace.Evaluated.Select(e => e.Rule));
        Assert.Equal(names[^1], answer.Trace.MatchedRule);
        Assert.All(answer.Trace.Evaluated.SkipLast(1), e => Assert.False(e.Matched, e.Rule));
    }

    [Fact]
    public async Task SeedRepliesAreReadVerbatim()
    {
        var settings = await _client.DiagnoseAsync(Complaint.Data("frontDeskChecks.settingsOk=false"));
        var notReproduced = await _client.DiagnoseAsync(Complaint.Data("network.reproduced=false"));

        Assert.Equal("经过核实，该地点的网络运行情况正常，建议用户检查手机终端或手机设置。", settings.Reply.Text);
        Assert.Equal("经过核实，该地点的网络运行情况正常，建议用户再关注。", notReproduced.Reply.Text);
    }

    [Fact]
    public async Task NetworkAlarmNotifiesSpecialistsNow()
    {
        var answer = await _client.DiagnoseAsync(Complaint.Data("network.activeAlarms=true"));

        var notify = Assert.Single(answer.Actions);
        Assert.Equal("notifySpecialists", notify.Code);
        Assert.Equal(DateTimeOffset.Parse("2026-11-28T09:00:00+08:00", System.Globalization.CultureInfo.InvariantCulture), notify.DueBy);
    }

    [Theory]
    [InlineData("voice", "network.activeAlarms=true", "V1_NetworkAlarm", "NETWORK_ALARM", "networkOptimization")]
    [InlineData("voice", "network.kpiAbnormal=true", "V2_NetworkKpiDegraded", "NETWORK_KPI_DEGRADED", "networkOptimization")]
    [InlineData("coverage", "network.reproduced=false", "V3_NotReproduced", "NOT_REPRODUCED", "frontDesk")]
    [InlineData("coverage", "network.similarUnresolvedComplaints=true", "V4_KnownCoverageIssue", "KNOWN_COVERAGE_ISSUE", "customerService")]
    [InlineData("voice", "", "V5_FieldTestRequired", "FIELD_TEST_REQUIRED", "networkOptimization")]
    [InlineData("coverage", "network.reproduced=true; network.similarUnresolvedComplaints=false", "V5_FieldTestRequired", "FIELD_TEST_REQUIRED", "networkOptimization")]
    public async Task VoiceAndCoverageRowsPickTheirCause(string type, string edits, string rule, string cause, string route)
    {
        var json = type == "voice" ? Complaint.Voice(edits) : Complaint.Coverage(edits);

        var answer = await _client.DiagnoseAsync(json);

        Assert.Equal(DiagnosisStatus.Diagnosed, answer.Status);
        Assert.Equal(cause, answer.Cause.Code);
        Assert.Equal(route, ContractJson.WireName(answer.Route));
        Assert.Equal(rule, answer.Trace.MatchedRule);
    }

    [Fact]
    public async Task KnownCoverageIssueEscalatesToTheManager()
    {
        var answer = await _client.DiagnoseAsync(Complaint.Coverage("network.similarUnresolvedComplaints=true"));

        Assert.Contains(answer.Actions, a => a.Code == "escalateToManager");
    }

    [Fact]
    public async Task UrbanFieldTestIsOnSiteWithinThreeHoursAndIndoorTestsBoth()
    {
        var answer = await _client.DiagnoseAsync(Complaint.Voice("location.area=\"urban\"; location.indoor=true"));

        var onSite = DateTimeOffset.Parse("2026-11-28T12:00:00+08:00", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(onSite, answer.Deadlines.OnSiteBy);
        Assert.Equal(onSite, answer.Actions.Single(a => a.Code == "fieldTest").DueBy);
        Assert.Contains(answer.Actions, a => a.Code == "testIndoorAndOutdoor");
        Assert.Contains(answer.Actions, a => a.Code == "recordCoordinates");
    }

    [Fact]
    public async Task RuralFieldTestHasNoOnSiteDeadline()
    {
        var answer = await _client.DiagnoseAsync(Complaint.Voice("location.area=\"rural\"; location.indoor=false"));

        Assert.Equal("FIELD_TEST_REQUIRED", answer.Cause.Code);
        Assert.Null(answer.Deadlines.OnSiteBy);
        Assert.Null(answer.Actions.Single(a => a.Code == "fieldTest").DueBy);
        Assert.DoesNotContain(answer.Actions, a => a.Code == "testIndoorAndOutdoor");
    }

    [Fact]
    public async Task GroupFaultIsRoutedToEnterpriseMaintenanceWithThreeNotifications()
    {
        var answer = await _client.DiagnoseAsync(Complaint.Group("customer.tier=\"groupLocal\""));

        Assert.Equal("GROUP_SERVICE_FAULT", answer.Cause.Code);
        Assert.Equal(Route.GroupCustomerMaintenance, answer.Route);
        Assert.Equal(
            ["notifyMaintenance", "notifyGroupResponder", "notifyAccountManager"],
            answer.Actions.Where(a => a.Code.StartsWith("notify", StringComparison.Ordinal)).Select(a => a.Code));
        Assert.All(answer.Actions.Where(a => a.Code.StartsWith("notify", StringComparison.Ordinal)),
            a => Assert.Equal(DateTimeOffset.Parse("2026-11-28T09:00:00+08:00", System.Globalization.CultureInfo.InvariantCulture), a.DueBy));
    }
}
